//! Where each panel goes, as a pure function of the terminal size and the
//! focus. The mouse handling uses the same function, so a click lands on
//! what was drawn there.
//!
//! Wide terminals (at least 100×30) show every panel: prompt and
//! parameters on the left, gallery and the selected entry's preview on the
//! right. Smaller ones keep the prompt on top and switch the area below
//! between the parameters (when focused) and the gallery.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::model::{Model, Overlay, Panel};

pub const WIDE_MIN: (u16, u16) = (100, 30);

/// The three lines under the panels.
const FOOTER: u16 = 3;

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
        Areas::compute(Rect::new(0, 0, width, height), model.focus)
    }

    pub fn compute(screen: Rect, focus: Panel) -> Areas {
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
            Areas::wide(main, footer)
        } else {
            Areas::narrow(main, focus, footer)
        }
    }

    fn wide(main: Rect, footer: Areas) -> Areas {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(main);
        let [prompt, params] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(left);
        let [gallery, preview] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
        Areas {
            prompt,
            params,
            gallery,
            preview,
            ..footer
        }
    }

    fn narrow(main: Rect, focus: Panel, footer: Areas) -> Areas {
        let prompt_height = (main.height / 3).clamp(3, 8);
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
