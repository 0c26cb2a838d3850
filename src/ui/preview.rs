//! The selected entry beside the gallery on wide terminals: its picture on
//! the left, its details beside it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use super::details::entry_lines;
use super::panel::panel;
use super::picture::render_picture;
use super::theme::Theme;
use crate::layout::picture_box::Picture;
use crate::layout::pictures::{in_area, preview_split};
use crate::model::Model;

pub fn render_preview(
    model: &Model,
    pictures: &[Picture],
    theme: Theme,
    area: Rect,
    frame: &mut Frame,
) {
    if area.height < 3 {
        return;
    }
    let inner = panel(frame, area, "Selected", false, theme);
    let Some(row) = model.gallery.selected_row(&model.jobs) else {
        return;
    };
    let (picture_area, text) = preview_split(model, inner);
    if let Some(picture) = picture_area.and_then(|at| in_area(pictures, at)) {
        render_picture(model, picture, theme, frame);
    }
    frame.render_widget(
        Paragraph::new(entry_lines(model, row, theme)).wrap(Wrap { trim: false }),
        text,
    );
}
