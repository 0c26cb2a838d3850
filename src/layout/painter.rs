//! The painter's picture: where it may go and the cells it takes.

use ratatui::layout::Rect;

use super::areas::{centered, inside};
use crate::edit::mask::picture_cells;
use crate::images::blocks;
use crate::images::graphics::Graphics;
use crate::model::thumbs::{Source, ThumbKey};
use crate::model::{Model, Overlay};

/// Rows under the picture: the tools' state and the keys.
pub const FOOTER_ROWS: u16 = 2;

/// Where the picture may go for a screen of `size` cells.
pub fn picture_area(size: (u16, u16)) -> Rect {
    let inner = inside(Rect::new(0, 0, size.0, size.1));
    Rect {
        height: inner.height.saturating_sub(FOOTER_ROWS),
        ..inner
    }
}

/// The picture's cells now: the first source fitted into the area.
pub fn picture_rect(model: &Model) -> Option<Rect> {
    let draft = model.edit.as_ref()?;
    let size = draft.first_size()?;
    let area = picture_area(model.size);
    let (cols, rows) = picture_cells((area.width, area.height), model.session.images.cell, size);
    Some(centered(area, cols, rows))
}

/// The thumbnail the painter draws from, while it is open.
pub fn picture_key(model: &Model) -> Option<ThumbKey> {
    if model.overlay != Some(Overlay::Painter) || model.session.images.graphics == Graphics::None {
        return None;
    }
    let path = model.edit.as_ref()?.sources.first()?.clone();
    let rect = picture_rect(model)?;
    Some(ThumbKey {
        source: Source::Painting(path),
        size: blocks::pixel_box(rect.width, rect.height),
    })
}
