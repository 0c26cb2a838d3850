//! One picture on screen: the thumbnail it shows and the cells it takes,
//! and the pixel box a picture area asks its thumbnail for.

use ratatui::layout::Rect;

use crate::images::graphics::Graphics;
use crate::images::thumbnail::PixelBox;
use crate::model::Model;
use crate::model::thumbs::ThumbKey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub key: ThumbKey,
    /// The cells it may use; the image is centred in them.
    pub area: Rect,
}

/// The pixel box of a picture area: half blocks have two pixels per cell;
/// a sixel image stays within the largest the terminal takes (xterm drops
/// a larger one whole).
pub fn pixel_box(model: &Model, area: Rect) -> PixelBox {
    let images = model.session.images;
    let (cw, ch) = images.cell;
    let cells = PixelBox {
        width: u32::from(area.width) * u32::from(cw),
        height: u32::from(area.height) * u32::from(ch),
    };
    match images.graphics {
        Graphics::Blocks => crate::images::blocks::pixel_box(area.width, area.height),
        Graphics::Sixel => PixelBox {
            width: cells.width.min(images.sixel_max.0),
            height: cells.height.min(images.sixel_max.1),
        },
        _ => cells,
    }
}
