//! Text drawn into pixels with an 8×8 bitmap font (ASCII and Latin-1;
//! other characters show as `?`): contact-sheet captions, and the demo's
//! pictures, which say what was asked for.

use image::{Rgba, RgbaImage};

/// A glyph's edge in pixels, at scale 1.
pub const GLYPH: u32 = 8;

fn glyph(c: char) -> [u8; 8] {
    use font8x8::legacy::{BASIC_LEGACY, LATIN_LEGACY};
    let code = c as usize;
    match code {
        0x20..=0x7e => BASIC_LEGACY[code],
        0xa0..=0xff => LATIN_LEGACY[code - 0xa0],
        _ => BASIC_LEGACY['?' as usize],
    }
}

/// Draws one line of text with its top left at (x, y), clipped to the image.
pub fn text(image: &mut RgbaImage, x: u32, y: u32, line: &str, colour: Rgba<u8>) {
    scaled_text(image, (x, y), line, colour, 1);
}

/// Draws one line with each font pixel `scale`×`scale` pixels.
pub fn scaled_text(
    image: &mut RgbaImage,
    at: (u32, u32),
    line: &str,
    colour: Rgba<u8>,
    scale: u32,
) {
    let scale = scale.max(1);
    for (n, c) in line.chars().enumerate() {
        for (dy, bits) in glyph(c).iter().enumerate() {
            for dx in 0..GLYPH {
                // Bit 0 is the leftmost pixel.
                if bits & (1 << dx) == 0 {
                    continue;
                }
                let x0 = at.0 + (n as u32 * GLYPH + dx) * scale;
                let y0 = at.1 + dy as u32 * scale;
                for (px, py) in (0..scale).flat_map(|i| (0..scale).map(move |j| (x0 + i, y0 + j))) {
                    if px < image.width() && py < image.height() {
                        image.put_pixel(px, py, colour);
                    }
                }
            }
        }
    }
}

/// Writes `lines` across the bottom of a picture on a dark band, as large
/// as the width allows (at least 8 pixels a glyph): the demo's pictures
/// carry their prompt, model and size, so a demo gallery reads like one.
pub fn caption(image: &mut RgbaImage, lines: &[String]) {
    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
    if widest == 0 || image.width() < GLYPH * 4 {
        return;
    }
    let pad = GLYPH / 2;
    let scale = ((image.width() - 2 * pad) / (widest * GLYPH)).clamp(1, 4);
    let line_height = (GLYPH + 2) * scale;
    let band = line_height * lines.len() as u32 + 2 * pad;
    let top = image.height().saturating_sub(band);
    for y in top..image.height() {
        for x in 0..image.width() {
            let p = image.get_pixel_mut(x, y);
            *p = Rgba([p[0] / 4, p[1] / 4, p[2] / 4, 255]);
        }
    }
    for (n, line) in lines.iter().enumerate() {
        let y = top + pad + n as u32 * line_height;
        scaled_text(image, (pad, y), line, Rgba([240, 240, 240, 255]), scale);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caption_is_drawn_light_on_a_dark_band_at_the_bottom() {
        let mut image = RgbaImage::from_pixel(256, 256, Rgba([200, 40, 40, 255]));
        caption(
            &mut image,
            &["a red fox".into(), "gpt-image-2 256x256".into()],
        );
        let light = |y: u32| (0..256).filter(|&x| image.get_pixel(x, y)[1] > 200).count();
        assert!((200..256).any(|y| light(y) > 0), "text at the bottom");
        assert_eq!(
            (0..150).map(light).sum::<usize>(),
            0,
            "the top is untouched"
        );
        assert_eq!(*image.get_pixel(0, 0), Rgba([200, 40, 40, 255]));
    }
}
