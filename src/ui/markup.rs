//! Markup over the painter's picture: each mark's cells in its colour
//! (solid, so a mark reads on any picture), the cursor, and where a box
//! or an arrow being drawn starts; the footer names the tool and colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::theme::Theme;
use crate::edit::{MarkColour, Markup};
use crate::images::blocks::colour;
use crate::images::graphics::Palette;
use crate::keymap::{Command, Context, Keymap};
use crate::model::edit::EditDraft;

const CURSOR: [u8; 3] = [255, 255, 255];

/// Draws the marks, the cursor and a pending anchor into `rect`. Without
/// colour the marks are letters (the colour's initial), so they still show.
pub fn overlay_marks(
    draft: &EditDraft,
    rect: Rect,
    palette: Palette,
    color: bool,
    buf: &mut Buffer,
) {
    let Some(markup) = &draft.markup else {
        return overlay_cursor(draft, None, rect, palette, color, buf);
    };
    for (at, mark) in markup.cells() {
        let grid = (markup.cols, markup.rows);
        let Some(cell) = screen_cell(grid, at, rect).and_then(|at| buf.cell_mut(at)) else {
            continue;
        };
        if color {
            cell.set_symbol("█").set_fg(colour(mark.rgb(), palette));
        } else {
            cell.set_symbol(initial(mark));
        }
    }
    overlay_cursor(draft, Some(markup), rect, palette, color, buf);
}

fn overlay_cursor(
    draft: &EditDraft,
    markup: Option<&Markup>,
    rect: Rect,
    palette: Palette,
    color: bool,
    buf: &mut Buffer,
) {
    if !draft.marking {
        return;
    }
    let grid = draft
        .mask
        .as_ref()
        .map(|m| (m.edits.grid.cols, m.edits.grid.rows));
    let grid = markup.map(|m| (m.cols, m.rows)).or(grid).unwrap_or((1, 1));
    let brush = &draft.brush;
    for (at, symbol) in [(brush.anchor, "◆"), (Some(brush.cursor), "✚")] {
        let Some(at) = at else { continue };
        if let Some(cell) = screen_cell(grid, at, rect).and_then(|at| buf.cell_mut(at)) {
            cell.set_symbol(symbol);
            if color {
                cell.set_fg(colour(CURSOR, palette))
                    .set_bg(colour(draft.mark_colour.rgb(), palette));
            }
        }
    }
}

/// The screen cell of grid cell `(c, r)` of a `cols`×`rows` grid laid over `rect`.
fn screen_cell((cols, rows): (u16, u16), (c, r): (u16, u16), rect: Rect) -> Option<(u16, u16)> {
    let x = rect.x + (u32::from(c) * u32::from(rect.width) / u32::from(cols.max(1))) as u16;
    let y = rect.y + (u32::from(r) * u32::from(rect.height) / u32::from(rows.max(1))) as u16;
    (x < rect.right() && y < rect.bottom()).then_some((x, y))
}

fn initial(colour: MarkColour) -> &'static str {
    match colour {
        MarkColour::Red => "R",
        MarkColour::Yellow => "Y",
        MarkColour::Green => "G",
        MarkColour::Cyan => "C",
        MarkColour::Blue => "B",
        MarkColour::Magenta => "M",
        MarkColour::White => "W",
    }
}

/// The footer in markup mode: the tool's state, then its keys.
pub fn footer_lines(keymap: &Keymap, draft: &EditDraft, theme: Theme) -> Vec<Line<'static>> {
    let key = |command: Command| keymap.key(Context::Painter, command);
    let brush = &draft.brush;
    let marks = draft.markup.as_ref().map_or(0, |m| m.marks.len());
    let mut state = vec![
        format!("markup · colour {}", draft.mark_colour.name()),
        if brush.pen_down {
            "pen down".into()
        } else {
            "pen up".into()
        },
        format!("{marks} mark(s)"),
    ];
    if let Some(anchor) = brush.anchor {
        let what = if brush.arrow {
            "arrow from"
        } else {
            "box from"
        };
        let again = key(if brush.arrow {
            Command::Arrow
        } else {
            Command::Rectangle
        });
        state.push(format!(
            "{what} {},{}: {again} again at the other end",
            anchor.0 + 1,
            anchor.1 + 1
        ));
    }
    let hints = [
        (key(Command::Paint), "dot"),
        (key(Command::Pen), "pen"),
        (key(Command::Arrow), "arrow"),
        (key(Command::Rectangle), "box"),
        (key(Command::NextColour), "colour"),
        (key(Command::Undo), "undo"),
        (key(Command::ClearMask), "clear"),
        (key(Command::MarkupMode), "mask"),
        (key(Command::Close), "done"),
    ];
    vec![
        Line::from(state.join(" · ")),
        super::format::key_hints(&hints, theme),
    ]
}
