//! Deterministic pictures for the fake server: the same prompt and index
//! always give the same image, different prompts give different ones, at the
//! size and in the format asked for.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder, RgbaImage};

use super::probe::ImageFormat;

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    pub width: u32,
    pub height: u32,
    pub seed: u64,
    pub transparent: bool,
    /// Blocks of this many pixels, for partial (blurry early) previews.
    pub coarseness: u32,
}

/// A seed for a picture from some text.
pub use crate::util::stable_hash::of as seed_of;

impl Synthetic {
    /// Draws the picture: a two-colour gradient with a disc, placed by the seed.
    pub fn draw(&self) -> RgbaImage {
        let (w, h) = (self.width.max(1), self.height.max(1));
        let palette = |shift: u32| {
            [
                (self.seed >> shift) as u8,
                (self.seed >> (shift + 8)) as u8,
                (self.seed >> (shift + 16)) as u8,
            ]
        };
        let (from, to, disc) = (palette(0), palette(24), palette(40));
        let cx = (self.seed >> 8) % u64::from(w);
        let cy = (self.seed >> 20) % u64::from(h);
        let radius = u64::from(w.min(h)) / 4 + 1;
        let block = self.coarseness.max(1);
        RgbaImage::from_fn(w, h, |x, y| {
            let (x, y) = (x / block * block, y / block * block);
            let (dx, dy) = (u64::from(x).abs_diff(cx), u64::from(y).abs_diff(cy));
            let inside = dx * dx + dy * dy <= radius * radius;
            let t = (u64::from(x) + u64::from(y)) * 255 / u64::from(w + h);
            let mix = |a: u8, b: u8| ((u64::from(a) * (255 - t) + u64::from(b) * t) / 255) as u8;
            let rgb = if inside {
                disc
            } else {
                [
                    mix(from[0], to[0]),
                    mix(from[1], to[1]),
                    mix(from[2], to[2]),
                ]
            };
            let alpha = if self.transparent && !inside { 0 } else { 255 };
            image::Rgba([rgb[0], rgb[1], rgb[2], alpha])
        })
    }

    /// Draws and encodes. GIF and AVIF are not produced; they fall back to PNG.
    pub fn encode(&self, format: ImageFormat) -> Vec<u8> {
        encode(&self.draw(), format)
    }
}

/// A square of noise about `bytes` long as a PNG (noise does not
/// compress): the fake server's heavy batch answers, which make output
/// files of gigabytes quickly.
pub fn noise_png(bytes: usize, seed: u64) -> Vec<u8> {
    let side = ((bytes / 4) as f64).sqrt().max(16.0) as u32;
    let mut rng = fastrand::Rng::with_seed(seed);
    let picture = RgbaImage::from_fn(side, side, |_, _| {
        image::Rgba([rng.u8(..), rng.u8(..), rng.u8(..), 255])
    });
    encode(&picture, ImageFormat::Png)
}

/// Encodes RGBA pixels; JPEG drops the alpha channel.
pub fn encode(picture: &RgbaImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let (w, h) = picture.dimensions();
    let result = match format {
        ImageFormat::Jpeg => {
            let rgb = image::DynamicImage::ImageRgba8(picture.clone()).to_rgb8();
            JpegEncoder::new_with_quality(&mut out, 85).write_image(
                &rgb,
                w,
                h,
                ExtendedColorType::Rgb8,
            )
        }
        ImageFormat::Webp => {
            WebPEncoder::new_lossless(&mut out).write_image(picture, w, h, ExtendedColorType::Rgba8)
        }
        _ => PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
            .write_image(picture, w, h, ExtendedColorType::Rgba8),
    };
    match result {
        Ok(()) => out.into_inner(),
        // Encoding an in-memory buffer of the right size cannot fail; an empty
        // answer makes the caller's image check report it if it ever does.
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::probe::probe;

    #[test]
    fn same_seed_same_picture_other_seed_other_picture() {
        let a = Synthetic {
            width: 64,
            height: 32,
            seed: seed_of(&["cat"]),
            transparent: false,
            coarseness: 1,
        };
        let b = Synthetic {
            seed: seed_of(&["dog"]),
            ..a.clone()
        };
        assert_eq!(a.encode(ImageFormat::Png), a.encode(ImageFormat::Png));
        assert_ne!(a.draw(), b.draw());
    }

    #[test]
    fn formats_and_sizes_are_as_asked() {
        let pic = Synthetic {
            width: 48,
            height: 16,
            seed: 1,
            transparent: true,
            coarseness: 4,
        };
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Webp] {
            let info = probe(&pic.encode(format)).unwrap();
            assert_eq!((info.format, info.width, info.height), (format, 48, 16));
        }
        assert!(probe(&pic.encode(ImageFormat::Png)).unwrap().has_alpha);
    }
}
