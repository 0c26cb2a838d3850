//! A contact sheet: thumbnails in a grid, each with a caption drawn in an
//! 8×8 bitmap font (ASCII and Latin-1; other characters show as `?`).

use image::{Rgba, RgbaImage, imageops};

use super::lettering::text;

/// The thumbnail edge in pixels.
pub const TILE: u32 = 256;
const PAD: u32 = 12;
const GLYPH: u32 = super::lettering::GLYPH;
const LINE: u32 = GLYPH + 3;
const CAPTION_LINES: u32 = 3;
/// Sheets wider than this many tiles get too wide to look at.
const MAX_COLUMNS: u32 = 6;
const BACKGROUND: Rgba<u8> = Rgba([24, 24, 28, 255]);
const TEXT: Rgba<u8> = Rgba([230, 230, 230, 255]);
const DIM: Rgba<u8> = Rgba([150, 150, 160, 255]);

/// One picture and its caption: a heading line, then the text wrapped.
pub struct SheetItem {
    pub picture: RgbaImage,
    pub heading: String,
    pub text: String,
}

/// Lays the items out, newest first as given.
pub fn draw(items: &[SheetItem]) -> RgbaImage {
    let count = items.len().max(1) as u32;
    let columns = (f64::from(count).sqrt().ceil() as u32).clamp(1, MAX_COLUMNS);
    let rows = count.div_ceil(columns);
    let cell_w = TILE + PAD;
    let cell_h = TILE + CAPTION_LINES * LINE + PAD * 2;
    let mut sheet = RgbaImage::from_pixel(columns * cell_w + PAD, rows * cell_h + PAD, BACKGROUND);
    let chars_per_line = (TILE / GLYPH) as usize;
    for (at, item) in items.iter().enumerate() {
        let (col, row) = (at as u32 % columns, at as u32 / columns);
        let (x, y) = (PAD + col * cell_w, PAD + row * cell_h);
        let thumb = fit(&item.picture);
        let (dx, dy) = ((TILE - thumb.width()) / 2, (TILE - thumb.height()) / 2);
        imageops::overlay(&mut sheet, &thumb, i64::from(x + dx), i64::from(y + dy));
        let mut lines = vec![(clip(&item.heading, chars_per_line), DIM)];
        lines.extend(
            wrap(&item.text, chars_per_line, CAPTION_LINES as usize - 1)
                .into_iter()
                .map(|l| (l, TEXT)),
        );
        for (n, (line, colour)) in lines.iter().enumerate() {
            text(&mut sheet, x, y + TILE + 6 + n as u32 * LINE, line, *colour);
        }
    }
    sheet
}

/// The picture fitted into a tile, resized as thumbnails are.
fn fit(picture: &RgbaImage) -> RgbaImage {
    let (w, h) = picture.dimensions();
    let tile = super::thumbnail::PixelBox {
        width: TILE,
        height: TILE,
    };
    super::thumbnail::Thumbnail::from_rgba(w, h, picture.as_raw().clone(), tile)
        .ok()
        .and_then(|t| RgbaImage::from_raw(t.width, t.height, t.rgba))
        .unwrap_or_else(|| picture.clone())
}

fn clip(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
    if chars.len() <= max {
        chars.into_iter().collect()
    } else {
        chars[..max.saturating_sub(3)].iter().collect::<String>() + "..."
    }
}

/// Words on at most `lines` lines of `width` characters; the last ends in
/// `...` when text is left over.
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let needed =
            current.chars().count() + word.chars().count() + usize::from(!current.is_empty());
        if needed > width && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            if out.len() == lines {
                let last = out.pop().unwrap_or_default();
                out.push(clip(&(last + " " + word), width.saturating_sub(3)) + "...");
                return out;
            }
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        if words.peek().is_none() {
            out.push(clip(&current, width));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_wrap_and_end_in_dots() {
        let lines = wrap("a red fox in the snow at dusk", 12, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with("..."), "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
        assert_eq!(wrap("short", 12, 2), ["short"]);
    }

    #[test]
    fn the_sheet_holds_every_tile_and_draws_text() {
        let item = |shade: u8| SheetItem {
            picture: RgbaImage::from_pixel(512, 300, Rgba([shade, 0, 0, 255])),
            heading: "11-21 12:00 gpt-image-2".into(),
            text: "a red fox, café".into(),
        };
        let sheet = draw(&[item(200), item(100), item(50)]);
        // Three tiles: two columns, two rows.
        assert_eq!(sheet.width(), 2 * (TILE + PAD) + PAD);
        assert_eq!(
            sheet.height(),
            2 * (TILE + CAPTION_LINES * LINE + 2 * PAD) + PAD
        );
        // The first tile's picture is there, scaled to fit.
        assert_eq!(sheet.get_pixel(PAD + TILE / 2, PAD + TILE / 2)[0], 200);
        // Some caption pixels are lit.
        let caption_y = PAD + TILE + 6;
        let lit = (0..TILE)
            .flat_map(|x| (0..LINE).map(move |y| (PAD + x, caption_y + y)))
            .filter(|(x, y)| *sheet.get_pixel(*x, *y) == DIM)
            .count();
        assert!(lit > 50, "only {lit} caption pixels");
    }
}
