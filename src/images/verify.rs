//! Proving that bytes are a whole image before anything calls them saved. A
//! header can claim any size and half a PNG still has a valid header, so
//! every raster image is decoded to its last pixel, within limits no image
//! model comes near, and an SVG is drawn once.

use std::io::Cursor;

use super::probe::{ImageFormat, ImageInfo, ProbeError, probe};

/// Wider or taller than this is not an image any model makes.
pub const MAX_SIDE: u32 = 16_384;
/// 40 megapixels: about five times the largest output today (3840×2160),
/// and 160 MB once decoded.
pub const MAX_PIXELS: u64 = 40_000_000;
/// What one decode may allocate, frames of a GIF included.
const MAX_DECODE_BYTES: u64 = 4 * MAX_PIXELS + (16 << 20);

/// Probes the bytes, refuses sizes past the limits, then decodes all of it.
/// AVIF, which artty cannot decode, is taken as probed.
pub fn verify(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let info = probe(bytes)?;
    let name = info.format.api_name();
    let pixels = u64::from(info.width) * u64::from(info.height);
    if info.width > MAX_SIDE || info.height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(ProbeError::BadHeader(
            name,
            format!(
                "it claims {}x{} pixels, more than any image model makes",
                info.width, info.height
            ),
        ));
    }
    let broken = |e: &dyn std::fmt::Display| ProbeError::BadHeader(name, format!("{e}"));
    match info.format {
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Webp => {
            let decoded = decode(bytes).map_err(|e| broken(&e))?;
            if (decoded.width(), decoded.height()) != (info.width, info.height) {
                return Err(broken(&"its pixels do not match its header"));
            }
        }
        ImageFormat::Gif => decode_gif_frames(bytes).map_err(|e| broken(&e))?,
        ImageFormat::Svg => {
            let into = super::pixels::PixelBox {
                width: 64,
                height: 64,
            };
            super::vector::rasterise(bytes, into).map_err(|e| broken(&e))?;
        }
        ImageFormat::Avif => {}
    }
    Ok(info)
}

/// Decodes a raster image (the first frame of a GIF) within the limits:
/// what thumbnails and checks of saved files use, so a file copied into
/// the gallery cannot ask for more memory than a saved image could.
pub fn decode(bytes: &[u8]) -> Result<image::DynamicImage, image::ImageError> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode()
}

/// Decompresses every frame (the probe only walked them), one at a time.
fn decode_gif_frames(bytes: &[u8]) -> Result<(), gif::DecodingError> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::MIN.saturating_add(MAX_DECODE_BYTES),
    ));
    let mut decoder = options.read_info(Cursor::new(bytes))?;
    while decoder.read_next_frame()?.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::synthetic::Synthetic;

    fn png(width: u32, height: u32) -> Vec<u8> {
        Synthetic {
            width,
            height,
            seed: 1,
            transparent: false,
            coarseness: 1,
        }
        .encode(ImageFormat::Png)
    }

    #[test]
    fn whole_images_pass_and_cut_ones_do_not() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif] {
            let bytes = Synthetic {
                width: 64,
                height: 48,
                seed: 2,
                transparent: false,
                coarseness: 1,
            }
            .encode(format);
            assert_eq!(verify(&bytes).unwrap().width, 64, "{format:?}");
            let half = &bytes[..bytes.len() / 2];
            if format == ImageFormat::Png {
                assert!(probe(half).is_ok(), "its header alone looks fine");
            }
            assert!(verify(half).is_err(), "half a {format:?} is not an image");
        }
    }

    #[test]
    fn a_header_claiming_a_million_squared_pixels_is_refused_before_decoding() {
        let mut bytes = png(8, 8);
        // IHDR's width and height, then its CRC over type and body.
        bytes[16..20].copy_from_slice(&1_000_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&1_000_000u32.to_be_bytes());
        let crc = crc32fast::hash(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = verify(&bytes).unwrap_err().to_string();
        assert!(err.contains("1000000x1000000"), "{err}");
    }
}
