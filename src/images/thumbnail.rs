//! Decode, shrink and re-encode: turning a saved image into the pixels a
//! panel shows. Runs on the blocking pool, never on the loop thread.
//! Resizing uses `fast_image_resize` (SIMD convolution), about ten times
//! faster than the `image` crate's filters for a 1024² → 240² shrink.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};

pub use super::pixels::{PixelBox, Thumbnail, ThumbnailError, fit};

impl Thumbnail {
    /// Decodes image file bytes (png, jpeg, webp, the first frame of a
    /// gif) or draws an SVG, and fits them to the box.
    pub fn from_image_bytes(bytes: &[u8], into: PixelBox) -> Result<Thumbnail, ThumbnailError> {
        if super::probe::ImageFormat::sniff(bytes) == Some(super::probe::ImageFormat::Svg) {
            return super::vector::rasterise(bytes, into);
        }
        let decoded = super::verify::decode(bytes)
            .map_err(|e| ThumbnailError::Decode(e.to_string()))?
            .into_rgba8();
        let (width, height) = decoded.dimensions();
        Thumbnail::from_rgba(width, height, decoded.into_raw(), into)
    }

    /// The pixels as an `image` buffer (contact sheets draw on these).
    pub fn into_rgba_image(self) -> Option<image::RgbaImage> {
        image::RgbaImage::from_raw(self.width, self.height, self.rgba)
    }

    /// Fits raw RGBA pixels to the box.
    pub fn from_rgba(
        width: u32,
        height: u32,
        rgba: Vec<u8>,
        into: PixelBox,
    ) -> Result<Thumbnail, ThumbnailError> {
        let (w, h) = fit(width, height, into);
        if (w, h) == (width, height) || w == 0 {
            return Ok(Thumbnail {
                width,
                height,
                rgba,
            });
        }
        let resize = |e: &dyn std::fmt::Display| ThumbnailError::Resize(e.to_string());
        let src =
            Image::from_vec_u8(width, height, rgba, PixelType::U8x4).map_err(|e| resize(&e))?;
        let mut dst = Image::new(w, h, PixelType::U8x4);
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
        Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| resize(&e))?;
        Ok(Thumbnail {
            width: w,
            height: h,
            rgba: dst.into_vec(),
        })
    }

    /// Reads a thumbnail back from the PNG the disk cache holds.
    pub fn from_png(bytes: &[u8]) -> Result<Thumbnail, ThumbnailError> {
        let decoded = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
            .map_err(|e| ThumbnailError::Decode(e.to_string()))?
            .into_rgba8();
        let (width, height) = decoded.dimensions();
        Ok(Thumbnail {
            width,
            height,
            rgba: decoded.into_raw(),
        })
    }

    /// PNG bytes: what the kitty protocol and the disk cache take. Opaque
    /// images drop the alpha channel, which makes the file a quarter smaller.
    pub fn to_png(&self) -> Result<Vec<u8>, ThumbnailError> {
        let mut out = Vec::new();
        let encoder = PngEncoder::new_with_quality(
            Cursor::new(&mut out),
            CompressionType::Default,
            PngFilter::Adaptive,
        );
        let result = if self.is_opaque() {
            encoder.write_image(
                &self.rgb(),
                self.width,
                self.height,
                ExtendedColorType::Rgb8,
            )
        } else {
            encoder.write_image(
                &self.rgba,
                self.width,
                self.height,
                ExtendedColorType::Rgba8,
            )
        };
        result.map_err(|e| ThumbnailError::Encode(e.to_string()))?;
        Ok(out)
    }

    pub fn is_opaque(&self) -> bool {
        self.rgba.chunks_exact(4).all(|p| p[3] == 255)
    }

    fn rgb(&self) -> Vec<u8> {
        self.rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// The pixel at (x, y), blended over `backdrop` where it is see-through.
    pub fn pixel_over(&self, x: u32, y: u32, backdrop: [u8; 3]) -> [u8; 3] {
        let at = ((y * self.width + x) * 4) as usize;
        let p = &self.rgba[at..at + 4];
        let a = u16::from(p[3]);
        let blend = |c: u8, b: u8| ((u16::from(c) * a + u16::from(b) * (255 - a)) / 255) as u8;
        [
            blend(p[0], backdrop[0]),
            blend(p[1], backdrop[1]),
            blend(p[2], backdrop[2]),
        ]
    }

    /// Bytes held in memory, for the cache's budget.
    pub fn weight(&self) -> usize {
        self.rgba.len() + std::mem::size_of::<Thumbnail>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_the_aspect_ratio() {
        let square = PixelBox {
            width: 240,
            height: 240,
        };
        assert_eq!(fit(1024, 1024, square), (240, 240));
        assert_eq!(fit(1536, 1024, square), (240, 160));
        assert_eq!(fit(1024, 1536, square), (160, 240));
        assert_eq!(
            fit(
                100,
                50,
                PixelBox {
                    width: 400,
                    height: 100
                }
            ),
            (200, 100)
        );
        assert_eq!(fit(0, 50, square), (0, 0));
        assert_eq!(fit(5000, 1, square), (240, 1));
    }

    #[test]
    fn shrinks_to_the_box_and_round_trips_through_png() {
        let rgba: Vec<u8> = (0..64 * 32)
            .flat_map(|i| [(i % 256) as u8, 0, 200, 255])
            .collect();
        let thumb = Thumbnail::from_rgba(
            64,
            32,
            rgba,
            PixelBox {
                width: 16,
                height: 16,
            },
        )
        .unwrap();
        assert_eq!((thumb.width, thumb.height), (16, 8));
        assert_eq!(thumb.rgba.len(), 16 * 8 * 4);
        let png = thumb.to_png().unwrap();
        assert_eq!(Thumbnail::from_png(&png).unwrap(), thumb);
    }

    #[test]
    fn undecodable_bytes_are_an_error() {
        let err = Thumbnail::from_image_bytes(
            b"not an image",
            PixelBox {
                width: 8,
                height: 8,
            },
        );
        assert!(matches!(err, Err(ThumbnailError::Decode(_))), "{err:?}");
    }

    #[test]
    fn see_through_pixels_blend_over_the_backdrop() {
        let thumb = Thumbnail {
            width: 1,
            height: 1,
            rgba: vec![255, 0, 0, 0],
        };
        assert_eq!(thumb.pixel_over(0, 0, [10, 20, 30]), [10, 20, 30]);
        let opaque = Thumbnail {
            width: 1,
            height: 1,
            rgba: vec![255, 0, 0, 255],
        };
        assert_eq!(opaque.pixel_over(0, 0, [10, 20, 30]), [255, 0, 0]);
    }
}
