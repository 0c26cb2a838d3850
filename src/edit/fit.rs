//! Bringing input images within a model's rules instead of failing at the
//! API: dall-e-2 takes one square PNG under 4 MB, so a photo is padded,
//! cropped or stretched square and converted; a very large input can be
//! brought down to a chosen longest edge; formats the model does not take
//! (GIF, 16-bit PNG…) are converted. The original file is only ever read:
//! the fitted bytes live in memory until they are sent. An input that
//! already fits is sent byte for byte as it is.

use std::io::Cursor;

use bytes::Bytes;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, RgbaImage};

use crate::api::catalog::EditRules;
use crate::api::request::InputImage;
use crate::images::probe::ImageFormat;

use super::fit_plan::{FitOptions, Step, describe, plan};
use super::resample::apply;

/// Shrinking to fit the byte limit stops after this many tries.
const SHRINK_TRIES: usize = 6;

/// An input as it will be sent, and what was done to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub image: InputImage,
    /// The geometry applied to the original, for the mask.
    pub steps: Vec<Step>,
    /// What changed, in words ("cropped 1536x1024 to 1024x1024").
    pub changes: Vec<String>,
    /// The original's size, which a mask is painted at.
    pub original: (u32, u32),
    /// The original's format (`png`, `jpeg`…, `other`).
    pub original_format: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    #[error("{0} cannot be read as an image: {1}")]
    Decode(String, String),
    #[error("{0} cannot be written: {1}")]
    Encode(String, String),
    #[error("{name} stays over {limit} bytes even scaled down")]
    TooLarge { name: String, limit: u64 },
}

/// What the original is, read from its header.
struct Original {
    format: Option<ImageFormat>,
    size: (u32, u32),
    sixteen_bit: bool,
}

impl Original {
    fn fitted(&self, image: InputImage, steps: Vec<Step>, changes: Vec<String>) -> Fitted {
        Fitted {
            image,
            steps,
            changes,
            original: self.size,
            original_format: self.format.map_or("other", |f| f.api_name()).to_string(),
        }
    }
}

fn look(name: &str, bytes: &[u8]) -> Result<(Original, Option<DynamicImage>), FitError> {
    let format = ImageFormat::sniff(bytes);
    let decode_error = |e: image::ImageError| FitError::Decode(name.into(), e.to_string());
    if format == Some(ImageFormat::Png) {
        let decoder =
            image::codecs::png::PngDecoder::new(Cursor::new(bytes)).map_err(decode_error)?;
        let sixteen_bit =
            decoder.color_type().bytes_per_pixel() > decoder.color_type().channel_count();
        let size = decoder.dimensions();
        return Ok((
            Original {
                format,
                size,
                sixteen_bit,
            },
            None,
        ));
    }
    if let Some(f @ (ImageFormat::Jpeg | ImageFormat::Webp)) = format
        && let Ok(info) = crate::images::probe::probe(bytes)
    {
        return Ok((
            Original {
                format: Some(f),
                size: (info.width, info.height),
                sixteen_bit: false,
            },
            None,
        ));
    }
    // Anything else the image crate reads (GIF, BMP…) is decoded now.
    let image = image::load_from_memory(bytes).map_err(decode_error)?;
    Ok((
        Original {
            format,
            size: (image.width(), image.height()),
            sixteen_bit: false,
        },
        Some(image),
    ))
}

/// Fits one input image to the rules.
pub fn fit_source(
    name: &str,
    bytes: Bytes,
    rules: &EditRules,
    options: FitOptions,
) -> Result<Fitted, FitError> {
    let (original, decoded) = look(name, &bytes)?;
    let steps = plan(original.size, rules, options);
    let allowed = original
        .format
        .is_some_and(|f| rules.formats.iter().any(|a| a == f.api_name()));
    let mut changes = Vec::new();
    if steps.is_empty()
        && allowed
        && !original.sixteen_bit
        && (bytes.len() as u64) < rules.max_bytes
        && let Ok(image) = InputImage::from_bytes(name, bytes.clone())
    {
        return Ok(original.fitted(image, steps, changes));
    }
    let from_name = original.format.map_or("this format", |f| f.api_name());
    if !allowed {
        changes.push(format!("converted {from_name} to png"));
    } else if original.sixteen_bit {
        changes.push("converted 16-bit to 8-bit".into());
    }
    let mut size = original.size;
    for step in &steps {
        changes.push(describe(size, *step));
        size = step.size();
    }
    let decoded = match decoded {
        Some(image) => image,
        None => image::load_from_memory(&bytes)
            .map_err(|e| FitError::Decode(name.into(), e.to_string()))?,
    };
    let had_alpha = decoded.color().has_alpha();
    let mut image = apply(decoded.into_rgba8(), &steps, true);
    // JPEG stays JPEG when allowed and nothing transparent was added.
    let as_jpeg = original.format == Some(ImageFormat::Jpeg)
        && allowed
        && !had_alpha
        && !steps.iter().any(|s| matches!(s, Step::Pad { .. }));
    let mut all_steps = steps;
    for _ in 0..SHRINK_TRIES {
        let encoded = encode_within(name, &image, as_jpeg, rules.max_bytes)?;
        if (encoded.len() as u64) < rules.max_bytes {
            let sent_name = renamed(name, if as_jpeg { "jpg" } else { "png" });
            let image = InputImage::from_bytes(sent_name, Bytes::from(encoded))
                .map_err(|e| FitError::Encode(name.into(), e.to_string()))?;
            return Ok(original.fitted(image, all_steps, changes));
        }
        let shrink = Step::Resize {
            w: (image.width() * 3 / 4).max(1),
            h: (image.height() * 3 / 4).max(1),
        };
        changes.push(format!(
            "{} to fit the size limit",
            describe(image.dimensions(), shrink)
        ));
        image = apply(image, &[shrink], true);
        all_steps.push(shrink);
    }
    Err(FitError::TooLarge {
        name: name.into(),
        limit: rules.max_bytes,
    })
}

/// Fast PNG compression first (several times quicker on photos); the
/// default level only when that is over the limit, before shrinking.
fn encode_within(
    name: &str,
    image: &RgbaImage,
    jpeg: bool,
    limit: u64,
) -> Result<Vec<u8>, FitError> {
    let fast = encode_with(name, image, jpeg, CompressionType::Fast)?;
    if jpeg || (fast.len() as u64) < limit {
        return Ok(fast);
    }
    encode_with(name, image, jpeg, CompressionType::Default)
}

fn encode(name: &str, image: &RgbaImage, jpeg: bool) -> Result<Vec<u8>, FitError> {
    encode_with(name, image, jpeg, CompressionType::Fast)
}

fn encode_with(
    name: &str,
    image: &RgbaImage,
    jpeg: bool,
    level: CompressionType,
) -> Result<Vec<u8>, FitError> {
    let mut out = Vec::new();
    let (w, h) = image.dimensions();
    let result = if jpeg {
        let rgb = DynamicImage::ImageRgba8(image.clone()).into_rgb8();
        JpegEncoder::new_with_quality(&mut out, 92).write_image(
            rgb.as_raw(),
            w,
            h,
            image::ExtendedColorType::Rgb8,
        )
    } else {
        PngEncoder::new_with_quality(&mut out, level, FilterType::Adaptive).write_image(
            image.as_raw(),
            w,
            h,
            image::ExtendedColorType::Rgba8,
        )
    };
    result.map_err(|e| FitError::Encode(name.into(), e.to_string()))?;
    Ok(out)
}

/// `photo.gif` sent as PNG is named `photo.png`.
fn renamed(name: &str, extension: &str) -> String {
    let stem = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("image");
    format!("{stem}.{extension}")
}

/// The mask for a fitted first image: the mask painted over the original,
/// with the same steps, so it lines up pixel for pixel.
pub fn fit_mask(mask_png: &[u8], fitted: &Fitted) -> Result<Vec<u8>, FitError> {
    let (w, h) = fitted.original;
    let resized = super::mask_png::resized(mask_png, w, h)
        .map_err(|e| FitError::Decode("mask".into(), e.to_string()))?;
    if fitted.steps.is_empty() {
        return Ok(resized);
    }
    let image = image::load_from_memory(&resized)
        .map_err(|e| FitError::Decode("mask".into(), e.to_string()))?
        .into_rgba8();
    encode("mask", &apply(image, &fitted.steps, false), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Catalog;
    use crate::edit::fit_plan::SquareFit;

    fn rules(model: &str) -> EditRules {
        Catalog::builtin().get(model).unwrap().edit.clone().unwrap()
    }

    fn noise(w: u32, h: u32) -> RgbaImage {
        let mut rng = fastrand::Rng::with_seed(7);
        RgbaImage::from_fn(w, h, |_, _| {
            image::Rgba([rng.u8(..), rng.u8(..), rng.u8(..), 255])
        })
    }

    fn png(image: &RgbaImage) -> Bytes {
        Bytes::from(encode("x", image, false).unwrap())
    }

    #[test]
    fn an_input_that_fits_is_sent_byte_for_byte() {
        let bytes = png(&RgbaImage::new(64, 64));
        let fitted = fit_source(
            "a.png",
            bytes.clone(),
            &rules("gpt-image-2"),
            FitOptions::default(),
        )
        .unwrap();
        assert_eq!(fitted.image.bytes, bytes);
        assert!(fitted.changes.is_empty());
    }

    #[test]
    fn dall_e_2_gets_a_square_png_by_each_method() {
        let bytes = png(&RgbaImage::new(300, 200));
        let dalle = rules("dall-e-2");
        for (square, size) in [
            (SquareFit::Pad, 300),
            (SquareFit::Crop, 200),
            (SquareFit::Stretch, 300),
        ] {
            let options = FitOptions {
                square,
                longest_edge: None,
            };
            let fitted = fit_source("wide.png", bytes.clone(), &dalle, options).unwrap();
            let info = fitted.image.info;
            assert_eq!(
                (info.width, info.height, info.format),
                (size, size, ImageFormat::Png),
                "{square:?}"
            );
            assert_eq!(fitted.changes.len(), 1, "{:?}", fitted.changes);
        }
    }

    #[test]
    fn padding_is_transparent_and_cropping_keeps_the_centre() {
        let mut image = RgbaImage::from_pixel(4, 2, image::Rgba([255, 0, 0, 255]));
        image.put_pixel(1, 0, image::Rgba([0, 255, 0, 255]));
        let padded = apply(
            image.clone(),
            &plan((4, 2), &rules("dall-e-2"), FitOptions::default()),
            true,
        );
        assert_eq!(padded.dimensions(), (4, 4));
        assert_eq!(padded.get_pixel(0, 0).0[3], 0);
        assert_eq!(padded.get_pixel(1, 1).0, [0, 255, 0, 255]);
        let crop = FitOptions {
            square: SquareFit::Crop,
            longest_edge: None,
        };
        let cropped = apply(image, &plan((4, 2), &rules("dall-e-2"), crop), true);
        assert_eq!(cropped.dimensions(), (2, 2));
        assert_eq!(cropped.get_pixel(0, 0).0, [0, 255, 0, 255]);
    }

    #[test]
    fn jpeg_is_kept_for_gpt_models_and_converted_for_dall_e_2() {
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 80)
            .write_image(
                &vec![128u8; 96 * 64 * 3],
                96,
                64,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        let jpeg = Bytes::from(jpeg);
        let gpt = fit_source(
            "p.jpg",
            jpeg.clone(),
            &rules("gpt-image-2"),
            FitOptions::default(),
        )
        .unwrap();
        assert_eq!(gpt.image.bytes, jpeg);
        let dalle = fit_source("p.jpg", jpeg, &rules("dall-e-2"), FitOptions::default()).unwrap();
        assert_eq!(dalle.image.info.format, ImageFormat::Png);
        assert_eq!(dalle.image.file_name, "p.png");
        assert!(
            dalle.changes[0].contains("converted jpeg to png"),
            "{:?}",
            dalle.changes
        );
    }

    #[test]
    fn sixteen_bit_png_becomes_eight_bit() {
        let wide = image::ImageBuffer::<image::Rgba<u16>, Vec<u16>>::from_pixel(
            20,
            10,
            image::Rgba([40000, 2000, 100, 65535]),
        );
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba16(wide)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        let fitted = fit_source(
            "deep.png",
            Bytes::from(bytes),
            &rules("gpt-image-2"),
            FitOptions::default(),
        )
        .unwrap();
        assert_eq!(
            fitted.changes,
            vec!["converted 16-bit to 8-bit".to_string()]
        );
        let decoded = image::load_from_memory(&fitted.image.bytes).unwrap();
        assert_eq!(decoded.color(), image::ColorType::Rgba8);
    }

    #[test]
    fn a_6000_by_4000_photo_comes_down_to_the_chosen_edge() {
        let big = png(&RgbaImage::new(6000, 4000));
        let options = FitOptions {
            square: SquareFit::Pad,
            longest_edge: Some(2048),
        };
        let fitted = fit_source("huge.png", big, &rules("gpt-image-2"), options).unwrap();
        assert_eq!(
            (fitted.image.info.width, fitted.image.info.height),
            (2048, 1365)
        );
        assert_eq!(fitted.original, (6000, 4000));
    }

    #[test]
    fn over_the_byte_limit_is_shrunk_until_under() {
        let mut tight = rules("dall-e-2");
        tight.max_bytes = 200_000;
        let fitted = fit_source(
            "n.png",
            png(&noise(400, 400)),
            &tight,
            FitOptions::default(),
        )
        .unwrap();
        assert!((fitted.image.bytes.len() as u64) < tight.max_bytes);
        assert!(
            fitted.changes.iter().any(|c| c.contains("size limit")),
            "{:?}",
            fitted.changes
        );
        tight.max_bytes = 10;
        assert!(matches!(
            fit_source("n.png", png(&noise(64, 64)), &tight, FitOptions::default()),
            Err(FitError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_mask_follows_the_first_image_and_a_wrong_sized_mask_is_scaled() {
        let photo = png(&noise(300, 200));
        let fitted =
            fit_source("wide.png", photo, &rules("dall-e-2"), FitOptions::default()).unwrap();
        let mut grid = crate::edit::mask::MaskGrid::new(3, 2);
        grid.set(0, 0, true);
        // Painted at half the original's size: scaled up, then padded like the image.
        let mask = crate::edit::mask_png::export(&grid, 150, 100, 0).unwrap();
        let fitted_mask = fit_mask(&mask, &fitted).unwrap();
        let decoded = image::load_from_memory(&fitted_mask).unwrap().into_rgba8();
        assert_eq!(decoded.dimensions(), (300, 300));
        assert_eq!(
            decoded.get_pixel(0, 0).0[3],
            0,
            "padding is to be filled in"
        );
        assert_eq!(decoded.get_pixel(10, 60).0[3], 0, "the painted cell");
        assert_eq!(decoded.get_pixel(200, 200).0[3], 255);
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let err = fit_source(
            "notes.txt",
            Bytes::from_static(b"hello"),
            &rules("gpt-image-2"),
            FitOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("notes.txt cannot be read"),
            "{err}"
        );
    }
}
