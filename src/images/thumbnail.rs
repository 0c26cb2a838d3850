//! Decode, shrink and re-encode: turning a saved image into the pixels a
//! panel shows. Runs on the blocking pool, never on the loop thread.
//! Resizing uses `fast_image_resize` (SIMD convolution), about ten times
//! faster than the `image` crate's filters for a 1024² → 240² shrink.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};

/// Raw pixel bytes under which zlib is always tried after fdeflate.
const SMALL_PNG_INPUT: usize = 64 * 1024;

pub use super::pixels::{PixelBox, Thumbnail, ThumbnailError, fit};

impl Thumbnail {
    /// Decodes image file bytes (png, jpeg, webp, the first frame of a
    /// gif) or draws an SVG, and fits them to the box.
    pub fn from_image_bytes(bytes: &[u8], into: PixelBox) -> Result<Thumbnail, ThumbnailError> {
        if super::probe::ImageFormat::sniff(bytes) == Some(super::probe::ImageFormat::Svg) {
            return super::vector::rasterise(bytes, into);
        }
        let decoded =
            super::verify::decode(bytes).map_err(|e| ThumbnailError::Decode(e.to_string()))?;
        match decoded {
            // Most answers are opaque RGB: shrunk as they are, a quarter
            // less to resize and no full-size RGBA copy.
            image::DynamicImage::ImageRgb8(rgb) => {
                let (width, height) = rgb.dimensions();
                Thumbnail::from_rgb(width, height, rgb.into_raw(), into)
            }
            other => {
                let rgba = other.into_rgba8();
                let (width, height) = rgba.dimensions();
                Thumbnail::from_rgba(width, height, rgba.into_raw(), into)
            }
        }
    }

    /// Fits opaque RGB pixels to the box; the result is RGBA like every
    /// thumbnail.
    pub fn from_rgb(
        width: u32,
        height: u32,
        rgb: Vec<u8>,
        into: PixelBox,
    ) -> Result<Thumbnail, ThumbnailError> {
        let (w, h, rgb) = fitted(width, height, rgb, into, PixelType::U8x3)?;
        let mut rgba = Vec::with_capacity(rgb.len() / 3 * 4);
        for p in rgb.chunks_exact(3) {
            rgba.extend_from_slice(&[p[0], p[1], p[2], 255]);
        }
        Ok(Thumbnail {
            width: w,
            height: h,
            rgba,
        })
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
        let (width, height, rgba) = fitted(width, height, rgba, into, PixelType::U8x4)?;
        Ok(Thumbnail {
            width,
            height,
            rgba,
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
        let opaque = self.is_opaque();
        let rgb;
        let (pixels, colour) = if opaque {
            rgb = self.rgb();
            (&rgb[..], ExtendedColorType::Rgb8)
        } else {
            (&self.rgba[..], ExtendedColorType::Rgba8)
        };
        // fdeflate's fast mode first: for a 240² photo-like thumbnail
        // 0.8 ms against 36 ms for zlib level 6, and no larger (74.5 KB
        // against 75.4 KB); it was most of a thumbnail's time. Flat
        // pictures (flat colours, gradients) are where it falls behind,
        // and zlib is quick on those: when the fast result is under a
        // quarter of the raw pixels, zlib's is tried and the smaller kept;
        // for small pictures (a cell or two) both are tried: zlib is quick.
        let fast = self.encode_png(pixels, colour, CompressionType::Fast)?;
        if pixels.len() > SMALL_PNG_INPUT && fast.len() * 4 >= pixels.len() {
            return Ok(fast);
        }
        let thorough = self.encode_png(pixels, colour, CompressionType::Default)?;
        Ok(if thorough.len() < fast.len() {
            thorough
        } else {
            fast
        })
    }

    fn encode_png(
        &self,
        pixels: &[u8],
        colour: ExtendedColorType,
        compression: CompressionType,
    ) -> Result<Vec<u8>, ThumbnailError> {
        let mut out = Vec::new();
        PngEncoder::new_with_quality(Cursor::new(&mut out), compression, PngFilter::Adaptive)
            .write_image(pixels, self.width, self.height, colour)
            .map_err(|e| ThumbnailError::Encode(e.to_string()))?;
        Ok(out)
    }

    /// No pixel lets the background through (true of released pixels).
    pub fn is_opaque(&self) -> bool {
        self.rgba.chunks_exact(4).all(|p| p[3] == 255)
    }

    fn rgb(&self) -> Vec<u8> {
        self.rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// The pixel at (x, y) over `backdrop`; the backdrop itself outside
    /// the pixels held (none are, once released).
    pub fn pixel_over(&self, x: u32, y: u32, backdrop: [u8; 3]) -> [u8; 3] {
        let at = ((y * self.width + x) * 4) as usize;
        self.rgba
            .get(at..at + 4)
            .map_or(backdrop, |p| super::pixels::blend_over(p, backdrop))
    }

    /// Lets the pixels go once a protocol's bytes are made from them (kitty
    /// and sixel draw from those alone): a page of thumbnails then costs a
    /// quarter of the memory. Only an opaque picture lets go, so
    /// [`Thumbnail::is_opaque`] stays true of it without its pixels.
    pub fn release_pixels(&mut self) {
        if self.is_opaque() {
            self.rgba = Vec::new();
        }
    }

    /// Bytes held in memory, for the cache's budget.
    pub fn weight(&self) -> usize {
        self.rgba.len() + std::mem::size_of::<Thumbnail>()
    }
}

/// Packed pixels of one type (RGB or RGBA, 8 bits a channel) fitted to
/// the box: as they are when they already fit, else shrunk.
fn fitted(
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    into: PixelBox,
    kind: PixelType,
) -> Result<(u32, u32, Vec<u8>), ThumbnailError> {
    let (w, h) = fit(width, height, into);
    if (w, h) == (width, height) || w == 0 {
        return Ok((width, height, pixels));
    }
    Ok((w, h, resized(width, height, pixels, (w, h), kind)?))
}

/// Shrinks packed pixels of one type (RGB or RGBA, 8 bits a channel).
fn resized(
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    (w, h): (u32, u32),
    kind: PixelType,
) -> Result<Vec<u8>, ThumbnailError> {
    let resize = |e: &dyn std::fmt::Display| ThumbnailError::Resize(e.to_string());
    let src = Image::from_vec_u8(width, height, pixels, kind).map_err(|e| resize(&e))?;
    let mut dst = Image::new(w, h, kind);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| resize(&e))?;
    Ok(dst.into_vec())
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
