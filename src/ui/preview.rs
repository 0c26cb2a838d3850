//! The selected entry beside the gallery on wide terminals. Its top part
//! is where the thumbnail goes; the details fill it for now.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use super::details::entry_lines;
use super::panel::panel;
use super::theme::Theme;
use crate::model::Model;

pub fn render_preview(model: &Model, theme: Theme, area: Rect, frame: &mut Frame) {
    if area.height < 3 {
        return;
    }
    let inner = panel(frame, area, "Selected", false, theme);
    let Some(row) = model.gallery.selected_row(&model.jobs) else {
        return;
    };
    frame.render_widget(
        Paragraph::new(entry_lines(model, row, theme)).wrap(Wrap { trim: false }),
        inner,
    );
}
