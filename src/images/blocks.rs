//! Half blocks: two pixels per cell (▀ with the top pixel as foreground and
//! the bottom one as background), drawn into ratatui's buffer. They diff,
//! scroll, clip and snapshot like text and work in every terminal, over
//! any SSH link and inside tmux without passthrough.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::mode::Palette;
use super::pixels::{PixelBox, Thumbnail};

/// What see-through pixels are shown over: a dark grey that reads as
/// "empty" on dark and light themes alike.
pub const BACKDROP: [u8; 3] = [48, 48, 48];

/// The pixel box half blocks need for an area of cells.
pub fn pixel_box(columns: u16, rows: u16) -> PixelBox {
    PixelBox {
        width: u32::from(columns),
        height: u32::from(rows) * 2,
    }
}

/// Draws `thumb` centred in `area`; pixels beyond the area are cut.
pub fn draw(thumb: &Thumbnail, area: Rect, palette: Palette, buf: &mut Buffer) {
    let columns = (thumb.width as u16).min(area.width);
    let rows = (thumb.height.div_ceil(2) as u16).min(area.height);
    let left = area.x + (area.width - columns) / 2;
    let top = area.y + (area.height - rows) / 2;
    let range = match palette {
        Palette::Shades { .. } => luma_range(thumb),
        _ => (0, 255_000),
    };
    for row in 0..rows {
        for column in 0..columns {
            let (x, y) = (u32::from(column), u32::from(row) * 2);
            let upper = thumb.pixel_over(x, y, BACKDROP);
            // An odd height leaves the last row's lower half empty: the
            // terminal's own background, not a bar of backdrop.
            let lower = (y + 1 < thumb.height).then(|| thumb.pixel_over(x, y + 1, BACKDROP));
            let Some(cell) = buf.cell_mut((left + column, top + row)) else {
                continue;
            };
            if let Palette::Shades { light_background } = palette {
                let level = (luma(upper) + luma(lower.unwrap_or(upper))) / 2;
                cell.set_char(shade(level, range, light_background));
                continue;
            }
            cell.set_char('▀')
                .set_fg(colour(upper, palette))
                .set_bg(lower.map_or(Color::Reset, |lower| colour(lower, palette)));
        }
    }
}

/// A colour as the palette can show it.
pub fn colour([r, g, b]: [u8; 3], palette: Palette) -> Color {
    match palette {
        Palette::Rgb => Color::Rgb(r, g, b),
        Palette::Indexed => Color::Indexed(crate::util::ansi256::ansi256_from_rgb((r, g, b))),
        Palette::Sixteen => Color::Indexed(nearest(&BASIC[..], [r, g, b])),
        Palette::Eight => Color::Indexed(nearest(&BASIC[..8], [r, g, b])),
        Palette::Shades { .. } => Color::Reset,
    }
}

/// xterm's default 16 colours: the ones a 16-colour terminal most likely shows.
const BASIC: [[u8; 3]; 16] = [
    [0, 0, 0],
    [205, 0, 0],
    [0, 205, 0],
    [205, 205, 0],
    [0, 0, 238],
    [205, 0, 205],
    [0, 205, 205],
    [229, 229, 229],
    [127, 127, 127],
    [255, 0, 0],
    [0, 255, 0],
    [255, 255, 0],
    [92, 92, 255],
    [255, 0, 255],
    [0, 255, 255],
    [255, 255, 255],
];

fn nearest(palette: &[[u8; 3]], rgb: [u8; 3]) -> u8 {
    let distance = |c: &[u8; 3]| -> u32 {
        c.iter()
            .zip(rgb)
            .map(|(a, b)| (i32::from(*a) - i32::from(b)).unsigned_abs().pow(2))
            .sum()
    };
    (0..palette.len())
        .min_by_key(|i| distance(&palette[*i]))
        .unwrap_or(0) as u8
}

/// Characters from empty to dense: under NO_COLOR a picture is its
/// brightness, the way terminals without colour drew pictures.
const RAMP: &[u8] = b" .:-=+*#%@";

/// Brightness, 0 to 255,000.
fn luma([r, g, b]: [u8; 3]) -> u32 {
    299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)
}

/// The darkest and brightest pixel: the ramp is stretched over them, so a
/// picture of middle greys still uses every character.
fn luma_range(thumb: &Thumbnail) -> (u32, u32) {
    let lumas = (0..thumb.height)
        .flat_map(|y| (0..thumb.width).map(move |x| (x, y)))
        .map(|(x, y)| luma(thumb.pixel_over(x, y, BACKDROP)));
    let (low, high) = lumas.fold((u32::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
    if low >= high {
        (0, 255_000)
    } else {
        (low, high)
    }
}

fn shade(level: u32, (low, high): (u32, u32), light_background: bool) -> char {
    let stretched = u64::from(level.clamp(low, high) - low) * RAMP.len() as u64;
    let step = ((stretched / u64::from(high - low + 1)) as usize).min(RAMP.len() - 1);
    // Dense characters are drawn in the text colour: bright on a dark
    // background, dark on a light one.
    let index = if light_background {
        RAMP.len() - 1 - step
    } else {
        step
    };
    char::from(RAMP[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_pixels_per_cell_centred_and_clipped() {
        // 2×3 pixels: red, green, blue rows.
        let rgba = [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]]
            .iter()
            .flat_map(|p| [*p, *p])
            .flatten()
            .collect();
        let thumb = Thumbnail {
            width: 2,
            height: 3,
            rgba,
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 2));
        draw(&thumb, Rect::new(0, 0, 4, 2), Palette::Rgb, &mut buf);
        let cell = &buf[(1, 0)];
        assert_eq!(cell.symbol(), "▀");
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Rgb(255, 0, 0), Color::Rgb(0, 255, 0))
        );
        assert_eq!(
            buf[(2, 1)].bg,
            Color::Reset,
            "odd height: the terminal's background below, no bar"
        );
        assert_eq!(
            buf[(0, 0)].symbol(),
            " ",
            "centred: the first column is left alone"
        );

        let mut small = Buffer::empty(Rect::new(0, 0, 1, 1));
        draw(&thumb, Rect::new(0, 0, 1, 1), Palette::Indexed, &mut small);
        assert_eq!(small[(0, 0)].fg, Color::Indexed(196));
        draw(&thumb, Rect::new(0, 0, 1, 1), Palette::Sixteen, &mut small);
        assert_eq!(small[(0, 0)].fg, Color::Indexed(9), "bright red");
        draw(&thumb, Rect::new(0, 0, 1, 1), Palette::Eight, &mut small);
        assert_eq!(small[(0, 0)].fg, Color::Indexed(1), "red");
    }

    #[test]
    fn without_colour_a_picture_is_its_brightness_in_characters() {
        // 3×2: black, grey, white columns.
        let rgba = (0..2)
            .flat_map(|_| [[0, 0, 0, 255], [128, 128, 128, 255], [255, 255, 255, 255]])
            .flatten()
            .collect();
        let thumb = Thumbnail {
            width: 3,
            height: 2,
            rgba,
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        let dark = Palette::Shades {
            light_background: false,
        };
        draw(&thumb, Rect::new(0, 0, 3, 1), dark, &mut buf);
        let row: String = (0..3).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(row, " +@");
        assert!((0..3).all(|x| buf[(x, 0)].fg == Color::Reset && buf[(x, 0)].bg == Color::Reset));
        let light = Palette::Shades {
            light_background: true,
        };
        draw(&thumb, Rect::new(0, 0, 3, 1), light, &mut buf);
        let row: String = (0..3).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(row, "@= ");
    }
}
