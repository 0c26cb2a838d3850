//! One picture's place on screen: half blocks or kitty placeholders are
//! drawn into the cells; kitty, sixel and iTerm2 images are placed by the
//! app after the frame, over cells left blank here. Until the thumbnail is
//! ready the place says so.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use crate::images::graphics::Graphics;
use crate::images::kitty::{self, Route};
use crate::images::layer::target;
use crate::layout::picture_box::Picture;
use crate::model::Model;
use crate::model::thumbs::Shown;

pub fn render_picture(model: &Model, picture: &Picture, theme: Theme, frame: &mut Frame) {
    let area = picture.area;
    frame.render_widget(Clear, area);
    let images = model.session.images;
    match model.thumbs.shown(&picture.key) {
        Shown::Ready(ready) => match images.graphics {
            Graphics::Blocks => crate::images::blocks::draw(
                ready
                    .image
                    .frame(crate::layout::pictures::frame_of(model, &ready.image))
                    .0,
                area,
                images.palette,
                frame.buffer_mut(),
            ),
            Graphics::Kitty(Route::Tmux) => {
                let thumb = &ready.image.thumb;
                if let Some(at) = target(area, thumb.width, thumb.height, images.cell) {
                    kitty::draw_placeholders(ready.id, at, frame.buffer_mut());
                }
            }
            _ => {}
        },
        Shown::Loading => note(area, "…", theme, frame),
        Shown::Failed(_) => note(area, "(no preview)", theme, frame),
    }
}

fn note(area: Rect, text: &str, theme: Theme, frame: &mut Frame) {
    let middle = Rect::new(area.x, area.y + area.height / 2, area.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(text.to_string(), theme.dim())).alignment(Alignment::Center),
        middle,
    );
}
