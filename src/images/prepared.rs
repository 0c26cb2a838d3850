//! A thumbnail made ready for one way of drawing: its pixels (half blocks
//! and viuer draw from these) and the bytes its protocol sends (PNG for
//! kitty, sixel data for sixel), all made off the UI thread.

use std::sync::Arc;

use super::cache::Weigh;
use super::graphics::Graphics;
use super::thumbnail::{PixelBox, Thumbnail, ThumbnailError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub thumb: Thumbnail,
    /// What the protocol sends: PNG for kitty, sixel data for sixel, empty
    /// for the others.
    pub payload: Vec<u8>,
}

/// Made from an image file: what to show, and the PNG for the disk cache.
pub struct Made {
    pub prepared: Prepared,
    pub png: Vec<u8>,
}

impl Prepared {
    /// From an image file's bytes: decode, fit, encode.
    pub fn from_image_bytes(
        bytes: &[u8],
        into: PixelBox,
        graphics: Graphics,
    ) -> Result<Made, ThumbnailError> {
        let thumb = Thumbnail::from_image_bytes(bytes, into)?;
        let png = thumb.to_png()?;
        Ok(Made {
            prepared: Prepared::with_payload(thumb, Some(&png), graphics)?,
            png,
        })
    }

    /// From a thumbnail the disk cache kept.
    pub fn from_cached_png(png: &[u8], graphics: Graphics) -> Result<Prepared, ThumbnailError> {
        Prepared::with_payload(Thumbnail::from_png(png)?, Some(png), graphics)
    }

    /// From pixels already in memory (a streaming job's partial image).
    pub fn from_pixels(
        pixels: &Thumbnail,
        into: PixelBox,
        graphics: Graphics,
    ) -> Result<Prepared, ThumbnailError> {
        let thumb = Thumbnail::from_rgba(pixels.width, pixels.height, pixels.rgba.clone(), into)?;
        Prepared::with_payload(thumb, None, graphics)
    }

    fn with_payload(
        thumb: Thumbnail,
        png: Option<&[u8]>,
        graphics: Graphics,
    ) -> Result<Prepared, ThumbnailError> {
        let payload = match graphics {
            Graphics::Kitty(_) => match png {
                Some(png) => png.to_vec(),
                None => thumb.to_png()?,
            },
            Graphics::Sixel => {
                let mut out = Vec::new();
                super::sixel::encode(&thumb, super::blocks::BACKDROP, &mut out);
                out
            }
            Graphics::Iterm | Graphics::Blocks | Graphics::None => Vec::new(),
        };
        Ok(Prepared { thumb, payload })
    }
}

impl Weigh for Arc<Prepared> {
    fn weight(&self) -> usize {
        self.thumb.weight() + self.payload.len()
    }
}
