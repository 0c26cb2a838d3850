//! A thumbnail made ready for one way of drawing: its pixels (half blocks
//! and viuer draw from these) and the bytes its protocol sends (PNG for
//! kitty, sixel data for sixel, which then hold no pixels), all made off
//! the UI thread.

use std::sync::Arc;

use super::cache::Weigh;
use super::mode::Graphics;
use super::pixels::{PixelBox, Thumbnail, ThumbnailError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub thumb: Thumbnail,
    /// What the protocol sends: PNG for kitty, sixel data for sixel, empty
    /// for the others.
    pub payload: Vec<u8>,
    /// An animation's later frames; the first is `thumb` and `payload`.
    pub frames: Vec<Frame>,
    /// Every frame's time in milliseconds, the first included (empty for a still).
    pub delays_ms: Vec<u32>,
}

/// One later frame of an animation, ready like the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub thumb: Thumbnail,
    pub payload: Vec<u8>,
}

/// Made from an image file: what to show, and the PNG for the disk cache
/// (`None` for animations, which the one-picture cache cannot hold).
pub struct Made {
    pub prepared: Prepared,
    pub png: Option<Vec<u8>>,
}

impl Prepared {
    /// From an image file's bytes: decode, fit, encode. An animated GIF
    /// keeps every frame.
    pub fn from_image_bytes(
        bytes: &[u8],
        into: PixelBox,
        graphics: Graphics,
    ) -> Result<Made, ThumbnailError> {
        let animated = super::probe::probe(bytes).is_ok_and(|info| info.animation.is_some());
        // An animation too large to hold frame by frame is shown still.
        if let Some(frames) = animated
            .then(|| super::animation::gif_frames(bytes, into).ok())
            .flatten()
        {
            return Ok(Made {
                prepared: Prepared::animated(frames, graphics)?,
                png: None,
            });
        }
        let thumb = Thumbnail::from_image_bytes(bytes, into)?;
        let png = thumb.to_png()?;
        Ok(Made {
            prepared: Prepared::with_payload(thumb, Some(&png), graphics)?,
            png: Some(png),
        })
    }

    fn animated(
        frames: Vec<(Thumbnail, u32)>,
        graphics: Graphics,
    ) -> Result<Prepared, ThumbnailError> {
        let delays_ms = frames.iter().map(|(_, ms)| *ms).collect();
        let mut made = frames
            .into_iter()
            .map(|(thumb, _)| Prepared::with_payload(thumb, None, graphics));
        let first = made
            .next()
            .ok_or_else(|| ThumbnailError::Decode("no frames".into()))??;
        let frames = made
            .map(|one| {
                one.map(|p| Frame {
                    thumb: p.thumb,
                    payload: p.payload,
                })
            })
            .collect::<Result<Vec<Frame>, ThumbnailError>>()?;
        Ok(Prepared {
            frames,
            delays_ms,
            ..first
        })
    }

    /// A still picture with its protocol bytes already made.
    pub fn still(thumb: Thumbnail, payload: Vec<u8>) -> Prepared {
        Prepared {
            thumb,
            payload,
            frames: Vec::new(),
            delays_ms: Vec::new(),
        }
    }

    pub fn is_animated(&self) -> bool {
        !self.frames.is_empty()
    }

    /// The frame showing `elapsed_ms` after the animation started (0 for a still).
    pub fn frame_at(&self, elapsed_ms: u64) -> usize {
        if self.is_animated() {
            super::animation::frame_at(&self.delays_ms, elapsed_ms).min(self.frames.len())
        } else {
            0
        }
    }

    /// The pixels and protocol bytes of frame `index` (0 is the first).
    pub fn frame(&self, index: usize) -> (&Thumbnail, &[u8]) {
        match index.checked_sub(1).and_then(|i| self.frames.get(i)) {
            Some(frame) => (&frame.thumb, &frame.payload),
            None => (&self.thumb, &self.payload),
        }
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
        mut thumb: Thumbnail,
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
        if matches!(graphics, Graphics::Kitty(_) | Graphics::Sixel) {
            thumb.release_pixels();
        }
        Ok(Prepared::still(thumb, payload))
    }
}

impl Weigh for Arc<Prepared> {
    fn weight(&self) -> usize {
        let later: usize = self
            .frames
            .iter()
            .map(|f| f.thumb.weight() + f.payload.len())
            .sum();
        self.thumb.weight() + self.payload.len() + later
    }
}
