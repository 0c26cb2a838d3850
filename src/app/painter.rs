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
    /// Written before the next frame (what an old way of drawing leaves).
    pending: Vec<u8>,
    /// Another program had the screen: images are sent again.
    lost: bool,
    /// The way of drawing changed: the screen is cleared first.
    clear: bool,
    log: Option<super::frame_log::FrameLog>,
}

impl Painter {
    pub fn new(images: TerminalImages) -> Painter {
        Painter {
            layer: Layer::new(images),
            size: (0, 0),
            generation: 0,
            pending: Vec::new(),
            lost: false,
            clear: false,
            log: super::frame_log::FrameLog::from_env(),
        }
    }

    /// After another program used the screen (an editor, a suspend).
    pub fn screen_lost(&mut self) {
        self.lost = true;
    }

    /// The terminal lost image `id` (it said so).
    pub fn lost(&mut self, id: u32) {
        self.layer.lost(id);
    }

    /// The terminal turned out to draw differently (a late answer).
    pub fn change(&mut self, images: TerminalImages) {
        self.layer.screen_lost(&mut self.pending);
        self.layer = Layer::new(images);
        self.clear = true;
    }

    pub fn draw(&mut self, tui: &mut Tui, model: &Model) -> std::io::Result<()> {
        write_raw(tui, &std::mem::take(&mut self.pending))?;
        if std::mem::take(&mut self.clear) {
            crate::terminal::clear(tui)?;
        }
        self.draw_frame(tui, model)?;
        if let Some(log) = &mut self.log {
            log.frame(model, crate::terminal::output().written());
        }
        Ok(())
    }

    fn draw_frame(&mut self, tui: &mut Tui, model: &Model) -> std::io::Result<()> {
        if !self.layer.writes_images() {
            tui.draw(|frame| crate::ui::render(model, frame))?;
            return Ok(());
        }
        let placements = crate::layout::pictures::placements(model);
        let mut bytes = BEGIN_SYNC.to_vec();
        if std::mem::take(&mut self.lost) {
            self.layer.screen_lost(&mut bytes);
        }
        if self.size != model.size {
            // ratatui clears the screen on resize, taking placements with it.
            self.layer.invalidate(&mut bytes);
            self.size = model.size;
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
