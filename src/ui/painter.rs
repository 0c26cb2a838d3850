//! The mask painter: the edit's first source at the largest size the
//! screen allows, drawn in half blocks in every terminal (each stroke then
//! redraws a few cells, not a whole image, which keeps painting quick over
//! SSH), tinted red where it will be edited, with the brush outlined and
//! its position marked on the frame.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::panel::overlay;
use super::theme::Theme;
use crate::edit::MaskGrid;
use crate::images::blocks;
use crate::images::graphics::{Graphics, Palette};
use crate::keymap::{Command, Context};
use crate::layout::painter::{FOOTER_ROWS, picture_key, picture_rect};
use crate::model::Model;
use crate::model::edit::{Brush, EditDraft};
use crate::model::thumbs::Shown;

const PAINT: [u8; 3] = [255, 40, 40];
const BRUSH: [u8; 3] = [255, 230, 60];
const PENDING: [u8; 3] = [60, 200, 255];

pub fn render_painter(model: &Model, theme: Theme, frame: &mut Frame) {
    let screen = frame.area();
    let Some(draft) = &model.edit else { return };
    let name = draft
        .sources
        .first()
        .map(|p| super::format::file_name(p, 60))
        .unwrap_or_default();
    let switch = model.keymap.key(Context::Painter, Command::MarkupMode);
    let title = if draft.marking {
        format!("Markup · image 1: {name} · marks show what to change where · {switch}: mask")
    } else {
        format!("Mask painter · image 1: {name} · red is what may change · {switch}: markup")
    };
    let inner = overlay(frame, screen, &title, theme);
    let (Some(rect), Some(mask)) = (picture_rect(model), &draft.mask) else {
        return;
    };
    let grid = &mask.edits.grid;
    let drawn = match picture_key(model).map(|k| model.thumbs.shown(&k)) {
        Some(Shown::Ready(ready)) => {
            blocks::draw(
                &ready.image.thumb,
                rect,
                model.session.images.palette,
                frame.buffer_mut(),
            );
            true
        }
        _ => false,
    };
    let tint = Tint {
        palette: model.session.images.palette,
        color: model.session.color,
        picture: drawn,
    };
    // In markup mode the mask shows without its brush; the marks go over it.
    let brush = (!draft.marking).then_some(&draft.brush);
    overlay_mask(grid, brush, rect, tint, frame.buffer_mut());
    super::markup::overlay_marks(
        draft,
        rect,
        tint.palette,
        tint.color && drawn,
        frame.buffer_mut(),
    );
    mark_rulers(grid, &draft.brush, rect, screen, frame.buffer_mut());
    let footer = Rect::new(
        inner.x,
        inner.bottom().saturating_sub(FOOTER_ROWS),
        inner.width,
        FOOTER_ROWS,
    );
    let lines = if draft.marking {
        super::markup::footer_lines(&model.keymap, draft, theme)
    } else {
        footer_lines(model, draft, theme)
    };
    frame.render_widget(Paragraph::new(lines), footer);
}

#[derive(Clone, Copy)]
struct Tint {
    palette: Palette,
    color: bool,
    /// The image is under the cells (else the grid is drawn as text).
    picture: bool,
}

fn overlay_mask(grid: &MaskGrid, brush: Option<&Brush>, rect: Rect, tint: Tint, buf: &mut Buffer) {
    let footprint = brush.map(|b| grid.brush_box(b.cursor.0, b.cursor.1, b.size));
    let pending = brush.and_then(|b| b.anchor.map(|a| corners(a, b.cursor)));
    for y in rect.top()..rect.bottom() {
        for x in rect.left()..rect.right() {
            let (c, r) = grid.cell_at(x - rect.x, y - rect.y, rect.width, rect.height);
            let painted = grid.get(c, r);
            let under_brush = footprint.is_some_and(|f| inside_box(f, (c, r)));
            let in_pending = pending.is_some_and(|p| inside_box(p, (c, r)));
            let Some(cell) = buf.cell_mut((x, y)) else {
                continue;
            };
            if !tint.picture || !tint.color {
                let symbol = match (under_brush, in_pending, painted) {
                    (true, _, _) => "▒",
                    (_, true, _) => "░",
                    (_, _, true) => "█",
                    _ => "·",
                };
                cell.set_symbol(symbol);
                continue;
            }
            let mut fg = rgb_of(cell.fg);
            let mut bg = rgb_of(cell.bg);
            // Painted cells are hatched (two strengths of red in a
            // checkerboard), so they stand out on any colour, red included.
            let paint_amount = if (x + y) % 2 == 0 { 70 } else { 40 };
            for (on, colour, amount) in [
                (painted, PAINT, paint_amount),
                (in_pending, PENDING, 45),
                (under_brush, BRUSH, 50),
            ] {
                if on {
                    fg = blend(fg, colour, amount);
                    bg = blend(bg, colour, amount);
                }
            }
            cell.set_fg(blocks::colour(fg, tint.palette));
            cell.set_bg(blocks::colour(bg, tint.palette));
        }
    }
}

fn corners(a: (u16, u16), b: (u16, u16)) -> (u16, u16, u16, u16) {
    (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1))
}

fn inside_box(b: (u16, u16, u16, u16), (c, r): (u16, u16)) -> bool {
    c >= b.0 && c <= b.2 && r >= b.1 && r <= b.3
}

/// Arrows on the frame in line with the cursor, visible whatever the image.
fn mark_rulers(grid: &MaskGrid, brush: &Brush, rect: Rect, screen: Rect, buf: &mut Buffer) {
    let span = |cell: u16, cells: u16, len: u16| {
        (u32::from(cell) * u32::from(len) / u32::from(cells.max(1))) as u16
    };
    let x = rect.x + span(brush.cursor.0, grid.cols, rect.width);
    let y = rect.y + span(brush.cursor.1, grid.rows, rect.height);
    // The bottom border: the top one carries the title.
    if let Some(cell) = buf.cell_mut((x, screen.bottom().saturating_sub(1))) {
        cell.set_symbol("▲");
    }
    if let Some(cell) = buf.cell_mut((screen.x, y)) {
        cell.set_symbol("▶");
    }
}

fn footer_lines(model: &Model, draft: &EditDraft, theme: Theme) -> Vec<Line<'static>> {
    let Some(mask) = &draft.mask else {
        return Vec::new();
    };
    let brush = &draft.brush;
    let grid = &mask.edits.grid;
    let mut state = vec![
        format!(
            "cell {},{} of {}×{}",
            brush.cursor.0 + 1,
            brush.cursor.1 + 1,
            grid.cols,
            grid.rows
        ),
        format!("brush {}", brush.size),
        if brush.erasing {
            "eraser".into()
        } else {
            "paint".into()
        },
        if brush.pen_down {
            "pen down".into()
        } else {
            "pen up".into()
        },
        format!("{}% to edit", grid.percent()),
        format!("feather {} px", draft.feather),
    ];
    if let Some(anchor) = brush.anchor {
        state.push(format!(
            "rectangle from {},{}: {} again at the other corner",
            anchor.0 + 1,
            anchor.1 + 1,
            model.keymap.key(Context::Painter, Command::Rectangle)
        ));
    }
    if model.session.images.graphics == Graphics::None {
        state.push("text only: █ is what may change".into());
    }
    let key = |commands: &[Command]| {
        super::format::keys_of(&model.keymap, Context::Painter, commands, "/")
    };
    let hints = [
        (key(&[Command::Paint]), "paint"),
        (key(&[Command::Erase]), "erase"),
        (key(&[Command::Pen]), "pen"),
        (key(&[Command::Eraser]), "eraser"),
        (key(&[Command::BrushBigger, Command::BrushSmaller]), "brush"),
        (key(&[Command::Rectangle]), "rectangle"),
        (key(&[Command::Fill]), "fill"),
        (key(&[Command::Invert]), "invert"),
        (key(&[Command::ClearMask]), "clear"),
        (key(&[Command::Undo]), "undo"),
        (key(&[Command::Close]), "done"),
    ];
    vec![
        Line::from(state.join(" · ")),
        super::format::key_hints(&hints, theme),
    ]
}

fn rgb_of(colour: Color) -> [u8; 3] {
    match colour {
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(i) => {
            let (r, g, b) = crate::util::ansi256::rgb_from_ansi256(i);
            [r, g, b]
        }
        _ => blocks::BACKDROP,
    }
}

/// `amount` percent of `with` over `base`.
fn blend(base: [u8; 3], with: [u8; 3], amount: u16) -> [u8; 3] {
    let mix = |a: u8, b: u8| ((u16::from(a) * (100 - amount) + u16::from(b) * amount) / 100) as u8;
    [
        mix(base[0], with[0]),
        mix(base[1], with[1]),
        mix(base[2], with[2]),
    ]
}
