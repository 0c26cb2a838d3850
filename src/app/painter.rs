//! Drawing a frame: ratatui's cells, plus the images drawn beside them.
//! Images that go away are erased before the cells are drawn, new ones
//! are placed after, all in one synchronized update so nothing flickers.

use std::io::Write;

use crate::images::graphics::TerminalImages;
use crate::images::layer::Layer;
use crate::model::Model;
use crate::terminal::Tui;

/// Terminals that know mode 2026 show the frame only once it is complete.
const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";

pub struct Painter {
    layer: Layer,
    size: (u16, u16),
    generation: u32,
    /// The screen was cleared behind the layer's back (editor, resize).
    stale: bool,
}

impl Painter {
    pub fn new(images: TerminalImages) -> Painter {
        Painter {
            layer: Layer::new(images),
            size: (0, 0),
            generation: 0,
            stale: false,
        }
    }

    /// After something else used or cleared the screen.
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    pub fn draw(&mut self, tui: &mut Tui, model: &Model) -> std::io::Result<()> {
        if !self.layer.writes_images() {
            tui.draw(|frame| crate::ui::render(model, frame))?;
            return Ok(());
        }
        let placements = crate::ui::pictures::placements(model);
        let mut bytes = BEGIN_SYNC.to_vec();
        if self.stale || self.size != model.size {
            // ratatui clears the screen on resize, taking images with it.
            self.layer.invalidate(&mut bytes);
            self.size = model.size;
            self.stale = false;
        }
        self.layer.before_draw(&placements, &mut bytes);
        write_raw(tui, &bytes)?;
        tui.draw(|frame| crate::ui::render(model, frame))?;
        bytes.clear();
        if self.generation != model.thumbs.generation() {
            self.generation = model.thumbs.generation();
            let held = model.thumbs.ids();
            self.layer
                .forget_unless(|id| held.contains(&id), &mut bytes);
        }
        let prints = self.layer.after_draw(&placements, &mut bytes);
        bytes.extend_from_slice(END_SYNC);
        write_raw(tui, &bytes)?;
        for print in prints {
            if let Err(e) = crate::images::iterm::print(&print.thumb, print.target) {
                tracing::warn!("iTerm2 image: {e}");
            }
        }
        Ok(())
    }
}

fn write_raw(tui: &mut Tui, bytes: &[u8]) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let out = tui.backend_mut();
    out.write_all(bytes)?;
    out.flush()
}
