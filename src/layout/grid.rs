//! The thumbnail grid's geometry, as pure functions of the panel's inside
//! and the cell size: the views draw with it, `update` moves the
//! selection and asks for thumbnails with it, the mouse finds tiles with
//! it.

use ratatui::layout::Rect;

/// A thumbnail aims at this many pixels a side (fewer on small screens).
const TARGET_PIXELS: u32 = 240;
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
    /// The grid for a panel's inside, or `None` when thumbnails would be
    /// too small to be worth it.
    pub fn fit(inner: Rect, cell: (u16, u16)) -> Option<Grid> {
        let (cw, ch) = (u32::from(cell.0.max(1)), u32::from(cell.1.max(1)));
        let wanted_rows = TARGET_PIXELS.div_ceil(ch) as u16;
        let rows = wanted_rows.min(inner.height.saturating_sub(1));
        if rows < MIN_PICTURE_ROWS {
            return None;
        }
        // Square pictures: as many pixels across as down.
        let columns = ((u32::from(rows) * ch).div_ceil(cw) as u16).min(inner.width);
        if columns < 2 * MIN_PICTURE_ROWS {
            return None;
        }
        Some(Grid {
            inner,
            columns: usize::from((inner.width + GAP) / (columns + GAP)).max(1),
            rows: usize::from(inner.height / (rows + 1)).max(1),
            picture: (columns, rows),
        })
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

    #[test]
    fn square_pictures_fill_the_width() {
        let grid = Grid::fit(Rect::new(1, 1, 100, 40), (10, 20)).unwrap();
        assert_eq!(grid.picture, (24, 12));
        assert_eq!((grid.columns, grid.rows), (4, 3));
        assert_eq!(
            grid.tile(5),
            (Rect::new(26, 14, 24, 12), Rect::new(26, 26, 24, 1))
        );
        let (last, caption) = grid.tile(grid.page() - 1);
        assert!(
            last.right() <= 101 && caption.bottom() <= 41,
            "tiles stay inside"
        );
    }

    #[test]
    fn small_panels_shrink_pictures_or_fall_back_to_a_list() {
        let grid = Grid::fit(Rect::new(0, 0, 78, 11), (10, 20)).unwrap();
        assert_eq!(grid.picture, (20, 10));
        assert_eq!(Grid::fit(Rect::new(0, 0, 78, 3), (10, 20)), None);
        assert_eq!(Grid::fit(Rect::new(0, 0, 4, 30), (10, 20)), None);
    }

    #[test]
    fn scrolls_one_row_to_keep_the_selection_in_view() {
        let grid = Grid::fit(Rect::new(0, 0, 100, 40), (10, 20)).unwrap();
        assert_eq!(grid.top_row(0, 11), 0);
        assert_eq!(grid.top_row(0, 12), 1, "one row down, not a page");
        assert_eq!(grid.top_row(3, 5), 1);
    }

    #[test]
    fn finds_the_tile_under_a_click() {
        let grid = Grid::fit(Rect::new(0, 0, 100, 40), (10, 20)).unwrap();
        assert_eq!(grid.slot_at(0, 0), Some(0));
        assert_eq!(grid.slot_at(24, 0), None, "the gap between tiles");
        assert_eq!(grid.slot_at(25, 13), Some(5));
        assert_eq!(grid.slot_at(99, 39), None);
    }
}
