//! Pixel work for fitting: the planned steps applied to an image, and
//! resampling (for inputs and for masks).

use image::RgbaImage;

use super::fit_plan::Step;

/// Applies the steps. `smooth` resizes images with a good filter; masks
/// use nearest neighbour so their alpha keeps its edges.
pub fn apply(image: RgbaImage, steps: &[Step], smooth: bool) -> RgbaImage {
    let mut image = image;
    for step in steps {
        image = match *step {
            Step::Crop { x, y, w, h } => image::imageops::crop_imm(&image, x, y, w, h).to_image(),
            Step::Pad { w, h, x, y } => {
                let mut canvas = RgbaImage::new(w, h);
                image::imageops::overlay(&mut canvas, &image, i64::from(x), i64::from(y));
                canvas
            }
            Step::Resize { w, h } => resample(image, w, h, smooth),
        };
    }
    image
}

/// Resizes with fast_image_resize: SIMD, and built optimised even in test
/// builds, where the image crate's generic filters are compiled unoptimised
/// into this crate and take seconds on a 6000x4000 photo.
pub(crate) fn resample(image: RgbaImage, w: u32, h: u32, smooth: bool) -> RgbaImage {
    use fast_image_resize::images::Image;
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let (sw, sh) = image.dimensions();
    if (sw, sh) == (w, h) {
        return image;
    }
    let alg = if smooth {
        ResizeAlg::Convolution(FilterType::Lanczos3)
    } else {
        ResizeAlg::Nearest
    };
    let src = Image::from_vec_u8(sw, sh, image.into_raw(), PixelType::U8x4);
    let mut dst = Image::new(w, h, PixelType::U8x4);
    let resized = src.and_then(|src| {
        Resizer::new()
            .resize(&src, &mut dst, &ResizeOptions::new().resize_alg(alg))
            .map_err(|_| fast_image_resize::ImageBufferError::InvalidBufferSize)
    });
    match resized
        .ok()
        .and_then(|()| RgbaImage::from_raw(w, h, dst.into_vec()))
    {
        Some(out) => out,
        // Only reachable with a zero size, which the plans never make.
        None => RgbaImage::new(w.max(1), h.max(1)),
    }
}
