//! Where each panel goes, as a pure function of the terminal size and the
//! focus. The mouse handling uses the same function, so a click lands on
//! what was drawn there.
//!
//! Wide terminals (at least 100×30) show every panel: prompt and
//! parameters in a column on the left as wide as the parameters need,
//! gallery and the selected entry's preview on the right, which gets the
//! rest. Smaller ones keep the prompt on top and switch the area below
//! between the parameters (when focused) and the gallery. The prompt is
//! as tall as its text unless it has the keys, so an empty prompt does
//! not take the pictures' room.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::model::{Model, Overlay, Panel};

pub const WIDE_MIN: (u16, u16) = (100, 30);

/// The three lines under the panels.
const FOOTER: u16 = 3;
/// The left column's width: the parameters' names and values fit in it.
const LEFT_COLUMNS: (u16, u16) = (44, 56);
/// The prompt's inside is never shorter than this.
const PROMPT_MIN_ROWS: u16 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub prompt: Rect,
    pub params: Rect,
    pub gallery: Rect,
    /// The selected entry's details; thumbnails will be drawn here.
    pub preview: Rect,
    pub summary: Rect,
    pub message: Rect,
    pub status: Rect,
}

pub fn is_wide(width: u16, height: u16) -> bool {
    width >= WIDE_MIN.0 && height >= WIDE_MIN.1
}

impl Areas {
    pub fn of(model: &Model) -> Areas {
        let (width, height) = model.size;
        Areas::compute(
            Rect::new(0, 0, width, height),
            model.focus,
            model.prompt.text.lines(),
        )
    }

    /// The areas for a screen, the focused panel and the prompt's lines.
    pub fn compute(screen: Rect, focus: Panel, prompt: &[String]) -> Areas {
        let [main, summary, message, status] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(screen);
        let footer = Areas {
            summary,
            message,
            status,
            ..Areas::default()
        };
        if screen.height <= FOOTER {
            return footer;
        }
        if is_wide(screen.width, screen.height) {
            Areas::wide(main, focus, prompt, footer)
        } else {
            Areas::narrow(main, focus, prompt, footer)
        }
    }

    fn wide(main: Rect, focus: Panel, prompt: &[String], footer: Areas) -> Areas {
        let left_width = (main.width * 3 / 10).clamp(LEFT_COLUMNS.0, LEFT_COLUMNS.1);
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_width), Constraint::Min(0)]).areas(main);
        let prompt_height = prompt_height(prompt, left.width, focus, left.height * 2 / 5);
        let [prompt, params] =
            Layout::vertical([Constraint::Length(prompt_height), Constraint::Min(0)]).areas(left);
        let [gallery, preview] =
            Layout::vertical([Constraint::Percentage(70), Constraint::Percentage(30)]).areas(right);
        Areas {
            prompt,
            params,
            gallery,
            preview,
            ..footer
        }
    }

    fn narrow(main: Rect, focus: Panel, prompt: &[String], footer: Areas) -> Areas {
        let tallest = (main.height / 3).clamp(3, 8);
        let prompt_height = prompt_height(prompt, main.width, focus, tallest).min(tallest);
        let [prompt, below] =
            Layout::vertical([Constraint::Length(prompt_height), Constraint::Min(0)]).areas(main);
        let (params, gallery) = match focus {
            Panel::Params => (below, Rect::default()),
            _ => (Rect::default(), below),
        };
        Areas {
            prompt,
            params,
            gallery,
            ..footer
        }
    }

    pub fn panel_at(&self, column: u16, row: u16) -> Option<Panel> {
        [
            (self.prompt, Panel::Prompt),
            (self.params, Panel::Params),
            (self.gallery, Panel::Gallery),
        ]
        .into_iter()
        .find(|(area, _)| contains(*area, column, row))
        .map(|(_, panel)| panel)
    }
}

/// The prompt panel's height: `focused` tall while it has the keys,
/// otherwise as tall as its text wrapped to `width` (borders included),
/// never shorter than [`PROMPT_MIN_ROWS`] inside nor taller than `focused`.
fn prompt_height(lines: &[String], width: u16, focus: Panel, focused: u16) -> u16 {
    let least = PROMPT_MIN_ROWS + 2;
    let focused = focused.max(least);
    if focus == Panel::Prompt {
        return focused;
    }
    let inner = usize::from(width.saturating_sub(2).max(1));
    let rows: usize = lines
        .iter()
        .map(|line| line.chars().count().div_ceil(inner).max(1))
        .sum();
    (u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2)).clamp(least, focused)
}

pub fn contains(area: Rect, column: u16, row: u16) -> bool {
    area.width > 0
        && area.height > 0
        && column >= area.x
        && column < area.right()
        && row >= area.y
        && row < area.bottom()
}

/// The first gallery row shown: whole pages, so rows stay put while the
/// selection moves within a page.
pub fn gallery_offset(selected: usize, visible: usize) -> usize {
    if visible == 0 {
        return 0;
    }
    selected / visible * visible
}

/// A box of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Where an overlay is drawn: the renderers and the image layer (which
/// must not show images under it) use the same rectangle.
pub fn overlay_area(overlay: &Overlay, screen: Rect) -> Rect {
    match overlay {
        Overlay::Help { .. } => centered(screen, 92, screen.height.saturating_sub(2)),
        Overlay::KeySetup => centered(screen, 84, 20),
        Overlay::Picker(_) => centered(screen, 76, screen.height.saturating_sub(4).min(18)),
        Overlay::Details { .. } => centered(
            screen,
            screen.width.saturating_sub(4),
            screen.height.saturating_sub(2),
        ),
        Overlay::ConfirmQuit => centered(screen, 64, 9),
        // Leaves the message and status lines in view.
        Overlay::Edit => Rect::new(
            screen.x + 2.min(screen.width / 2),
            screen.y,
            screen.width.saturating_sub(4),
            screen.height.saturating_sub(2),
        ),
        Overlay::Painter => screen,
        Overlay::Compare(_) => Rect::new(
            screen.x,
            screen.y,
            screen.width,
            screen.height.saturating_sub(2),
        ),
        Overlay::Family(_) => centered(
            screen,
            screen.width.saturating_sub(8).min(120),
            screen.height.saturating_sub(4),
        ),
        Overlay::PathField(_) => centered(screen, 84, 12),
        Overlay::Batches => centered(
            screen,
            screen.width.saturating_sub(4).min(140),
            screen.height.saturating_sub(4).min(30),
        ),
        Overlay::BatchChoice(_) => centered(screen, 84, 12),
    }
}

/// The inside of a bordered box.
pub fn inside(area: Rect) -> Rect {
    area.inner(ratatui::layout::Margin::new(1, 1))
}

/// The whole screen.
pub fn screen(model: &Model) -> Rect {
    Rect::new(0, 0, model.size.0, model.size.1)
}

/// The gallery's inside without, and the line of, the search field
/// (shown while typing and while a search is kept).
pub fn list_and_search(model: &Model, inner: Rect) -> (Rect, Option<Rect>) {
    let shown = model.gallery.searching.is_some() || !model.gallery.query.is_empty();
    if !shown || inner.height < 3 {
        return (inner, None);
    }
    let list = Rect {
        height: inner.height - 1,
        ..inner
    };
    let line = Rect {
        y: inner.y + inner.height - 1,
        height: 1,
        ..inner
    };
    (list, Some(line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::grid::Grid;

    /// Thumbnails the gallery shows with an empty prompt, for a terminal
    /// size and a cell size in pixels.
    fn thumbnails(size: (u16, u16), cell: (u16, u16)) -> (usize, Grid) {
        let areas = Areas::compute(Rect::new(0, 0, size.0, size.1), Panel::Gallery, &[]);
        let grid = Grid::fit(inside(areas.gallery), cell, 20).expect("a grid");
        (grid.page(), grid)
    }

    #[test]
    fn the_gallery_fills_large_screens_with_thumbnails() {
        // xterm's default font, a common 8×16, kitty's at 11 pt.
        for cell in [(6, 13), (8, 16), (10, 20)] {
            let (at_160, grid) = thumbnails((160, 48), cell);
            assert!(at_160 >= 8, "160×48, cell {cell:?}: {at_160} ({grid:?})");
            let (at_200, grid) = thumbnails((200, 60), cell);
            assert!(at_200 >= 12, "200×60, cell {cell:?}: {at_200} ({grid:?})");
            // No blank band as tall as a row of tiles under the last row.
            let used = grid.rows as u16 * (grid.picture.1 + 1);
            assert!(grid.inner.height - used < grid.picture.1 + 1, "{grid:?}");
        }
    }

    #[test]
    fn the_prompt_is_as_tall_as_its_text_unless_it_has_the_keys() {
        let screen = Rect::new(0, 0, 160, 48);
        let empty = Areas::compute(screen, Panel::Gallery, &[]);
        assert_eq!(empty.prompt.height, PROMPT_MIN_ROWS + 2);
        let lines = vec!["word ".repeat(40)];
        let long = Areas::compute(screen, Panel::Gallery, &lines);
        assert!(
            long.prompt.height > empty.prompt.height,
            "wrapped text shows whole"
        );
        let focused = Areas::compute(screen, Panel::Prompt, &[]);
        assert!(focused.prompt.height > long.prompt.height);
        assert_eq!(empty.params.bottom(), focused.params.bottom());
    }
}
