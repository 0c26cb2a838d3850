//! Half blocks: two pixels per cell (▀ with the top pixel as foreground and
//! the bottom one as background), drawn into ratatui's buffer. They diff,
//! scroll, clip and snapshot like text and work in every terminal, over
//! any SSH link and inside tmux without passthrough.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::thumbnail::{PixelBox, Thumbnail};

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
pub fn draw(thumb: &Thumbnail, area: Rect, truecolor: bool, buf: &mut Buffer) {
    let columns = (thumb.width as u16).min(area.width);
    let rows = (thumb.height.div_ceil(2) as u16).min(area.height);
    let left = area.x + (area.width - columns) / 2;
    let top = area.y + (area.height - rows) / 2;
    let colour = |[r, g, b]: [u8; 3]| {
        if truecolor {
            Color::Rgb(r, g, b)
        } else {
            Color::Indexed(ansi_colours::ansi256_from_rgb((r, g, b)))
        }
    };
    for row in 0..rows {
        for column in 0..columns {
            let (x, y) = (u32::from(column), u32::from(row) * 2);
            let upper = thumb.pixel_over(x, y, BACKDROP);
            let lower = if y + 1 < thumb.height {
                thumb.pixel_over(x, y + 1, BACKDROP)
            } else {
                BACKDROP
            };
            if let Some(cell) = buf.cell_mut((left + column, top + row)) {
                cell.set_char('▀')
                    .set_fg(colour(upper))
                    .set_bg(colour(lower));
            }
        }
    }
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
        draw(&thumb, Rect::new(0, 0, 4, 2), true, &mut buf);
        let cell = &buf[(1, 0)];
        assert_eq!(cell.symbol(), "▀");
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Rgb(255, 0, 0), Color::Rgb(0, 255, 0))
        );
        let [r, g, b] = BACKDROP;
        assert_eq!(
            buf[(2, 1)].bg,
            Color::Rgb(r, g, b),
            "odd height: backdrop below"
        );
        assert_eq!(
            buf[(0, 0)].symbol(),
            " ",
            "centred: the first column is left alone"
        );

        let mut small = Buffer::empty(Rect::new(0, 0, 1, 1));
        draw(&thumb, Rect::new(0, 0, 1, 1), false, &mut small);
        assert_eq!(small[(0, 0)].fg, Color::Indexed(196));
    }
}
