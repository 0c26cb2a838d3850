//! The thumbnail grid's geometry, as pure functions of the panel's inside
//! and the cell size: the views draw with it, `update` moves the
//! selection and asks for thumbnails with it, the mouse finds tiles with
//! it.

use ratatui::layout::Rect;

/// A thumbnail is at most this many pixels a side: it is for finding a
/// picture, and the preview beside the gallery shows the selected one
/// large, so the room goes to showing more of them.
const MAX_PIXELS: u32 = 160;
/// Nor fewer than this: smaller pictures are not worth the room.
const MIN_PIXELS: u32 = 64;
/// Below this many picture rows the gallery is a list instead.
const MIN_PICTURE_ROWS: u16 = 3;
/// Columns between tiles.
const GAP: u16 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    pub inner: Rect,
    pub columns: usize,
    /// Tiles that fit top to bottom.
    pub rows: usize,
    /// A tile's picture, in cells; the caption is the line under it.
    pub picture: (u16, u16),
}

impl Grid {
    /// The grid for a panel's inside showing `entries` tiles, or `None`
    /// when thumbnails would be too small to be worth it.
    ///
    /// Every picture size from the largest down to the floor is tried and
    /// the one that covers most of the panel with pictures wins (the larger
    /// on a tie), so a panel 1.8 tiles tall gets two smaller rows rather
    /// than one row and a blank band.
    pub fn fit(inner: Rect, cell: (u16, u16), entries: usize) -> Option<Grid> {
        let (cw, ch) = (u32::from(cell.0.max(1)), u32::from(cell.1.max(1)));
        let highest = (MAX_PIXELS.div_ceil(ch) as u16).min(inner.height.saturating_sub(1));
        let lowest = (MIN_PIXELS.div_ceil(ch) as u16).max(MIN_PICTURE_ROWS);
        let mut best: Option<(usize, Grid)> = None;
        for rows in (lowest..=highest).rev() {
            // Square pictures: as many pixels across as down.
            let columns = (u32::from(rows) * ch).div_ceil(cw) as u16;
            if columns > inner.width || columns < 2 * MIN_PICTURE_ROWS {
                continue;
            }
            let grid = Grid {
                inner,
                columns: usize::from((inner.width + GAP) / (columns + GAP)),
                rows: usize::from(inner.height / (rows + 1)),
                picture: (columns, rows),
            };
            let covered =
                grid.page().min(entries.max(1)) * usize::from(columns) * usize::from(rows);
            if grid.page() > 0 && best.as_ref().is_none_or(|(most, _)| covered > *most) {
                best = Some((covered, grid));
            }
        }
        best.map(|(_, grid)| grid)
    }

    /// Entries on screen at once.
    pub fn page(&self) -> usize {
        self.columns * self.rows
    }

    /// The first grid row to show: `top` moved just enough to show the
    /// selected entry, so the view scrolls one row at a time.
    pub fn top_row(&self, top: usize, selected: usize) -> usize {
        let row = selected / self.columns;
        if row < top {
            row
        } else if row >= top + self.rows {
            row + 1 - self.rows
        } else {
            top
        }
    }

    /// The picture and caption of the tile in screen slot `slot`.
    pub fn tile(&self, slot: usize) -> (Rect, Rect) {
        let (w, h) = self.picture;
        let x = self.inner.x + (slot % self.columns) as u16 * (w + GAP);
        let y = self.inner.y + (slot / self.columns) as u16 * (h + 1);
        (Rect::new(x, y, w, h), Rect::new(x, y + h, w, 1))
    }

    /// The screen slot under a cell, if it is on a tile.
    pub fn slot_at(&self, column: u16, row: u16) -> Option<usize> {
        let (w, h) = self.picture;
        let (dx, dy) = (
            column.checked_sub(self.inner.x)?,
            row.checked_sub(self.inner.y)?,
        );
        let (across, down) = (usize::from(dx / (w + GAP)), usize::from(dy / (h + 1)));
        let on_tile = dx % (w + GAP) < w;
        (on_tile && across < self.columns && down < self.rows)
            .then_some(down * self.columns + across)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 24×12 pictures, 4 across and 3 down, in a panel at (1, 1).
    fn grid() -> Grid {
        Grid {
            inner: Rect::new(1, 1, 100, 40),
            columns: 4,
            rows: 3,
            picture: (24, 12),
        }
    }

    #[test]
    fn square_pictures_fill_the_panel() {
        let grid = Grid::fit(Rect::new(1, 1, 100, 40), (10, 20), 99).unwrap();
        let (w, h) = grid.picture;
        assert_eq!(u32::from(w) * 10, u32::from(h) * 20, "square in pixels");
        assert!(u32::from(h) * 20 <= MAX_PIXELS);
        // At most a partial column and a partial row are left over.
        let (across, down) = (grid.columns as u16 * (w + GAP), grid.rows as u16 * (h + 1));
        assert!(101 - across < w + GAP && 40 - down < h + 1, "{grid:?}");
        let (last, caption) = grid.tile(grid.page() - 1);
        assert!(
            last.right() <= 101 && caption.bottom() <= 41,
            "tiles stay inside"
        );
    }

    #[test]
    fn few_entries_get_larger_pictures() {
        let panel = Rect::new(0, 0, 100, 40);
        let many = Grid::fit(panel, (10, 20), 99).unwrap();
        let two = Grid::fit(panel, (10, 20), 2).unwrap();
        assert!(two.picture.1 >= many.picture.1, "{two:?} {many:?}");
        assert!(two.page() >= 2);
    }

    #[test]
    fn small_panels_shrink_pictures_or_fall_back_to_a_list() {
        let grid = Grid::fit(Rect::new(0, 0, 78, 11), (10, 20), 99).unwrap();
        // Four 16×8 pictures cover more of it than three larger ones.
        assert_eq!(grid.picture, (16, 8));
        assert_eq!(grid.page(), 4);
        assert_eq!(Grid::fit(Rect::new(0, 0, 78, 3), (10, 20), 99), None);
        assert_eq!(Grid::fit(Rect::new(0, 0, 4, 30), (10, 20), 99), None);
    }

    #[test]
    fn tiles_are_laid_out_row_by_row() {
        assert_eq!(
            grid().tile(5),
            (Rect::new(26, 14, 24, 12), Rect::new(26, 26, 24, 1))
        );
    }

    #[test]
    fn scrolls_one_row_to_keep_the_selection_in_view() {
        let grid = grid();
        assert_eq!(grid.top_row(0, 11), 0);
        assert_eq!(grid.top_row(0, 12), 1, "one row down, not a page");
        assert_eq!(grid.top_row(3, 5), 1);
    }

    #[test]
    fn finds_the_tile_under_a_click() {
        let grid = grid();
        assert_eq!(grid.slot_at(1, 1), Some(0));
        assert_eq!(grid.slot_at(25, 1), None, "the gap between tiles");
        assert_eq!(grid.slot_at(26, 14), Some(5));
        assert_eq!(grid.slot_at(100, 40), None);
    }
}
