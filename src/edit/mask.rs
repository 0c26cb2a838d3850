//! The mask being painted: a grid of cells over the first source image,
//! each painted (to be edited) or not. The grid's size is fixed when the
//! painter opens (one cell per terminal cell of the picture then), so a
//! resize changes how it is drawn, never what was painted. Every cell
//! covers a block of source pixels given by [`span`]; exporting and
//! loading use the same spans, so a mask survives a round trip exactly.

use std::ops::Range;

/// The cells an image of `image` pixels takes when fitted, aspect kept,
/// into an area of `area` cells of `cell` pixels each: the painter's
/// picture size, and so the grid size of a new mask.
pub fn picture_cells(area: (u16, u16), cell: (u16, u16), image: (u32, u32)) -> (u16, u16) {
    let (cw, ch) = (u64::from(cell.0.max(1)), u64::from(cell.1.max(1)));
    let (aw, ah) = (u64::from(area.0) * cw, u64::from(area.1) * ch);
    let (iw, ih) = (u64::from(image.0.max(1)), u64::from(image.1.max(1)));
    let (pw, ph) = if aw * ih <= ah * iw {
        (aw, aw * ih / iw)
    } else {
        (ah * iw / ih, ah)
    };
    let cols = ((pw + cw / 2) / cw).clamp(1, u64::from(area.0.max(1)));
    let rows = ((ph + ch / 2) / ch).clamp(1, u64::from(area.1.max(1)));
    (cols as u16, rows as u16)
}

/// Undo keeps this many earlier grids.
const UNDO_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskGrid {
    pub cols: u16,
    pub rows: u16,
    cells: Vec<bool>,
}

/// The source pixels (along one axis) that cell `cell` of `cells` covers.
/// Spans tile `0..pixels` with no gap or overlap; none is empty while
/// `cells <= pixels`.
pub fn span(cell: u32, cells: u32, pixels: u32) -> Range<u32> {
    let at = |c: u32| (u64::from(c) * u64::from(pixels) / u64::from(cells.max(1))) as u32;
    at(cell)..at(cell + 1)
}

impl MaskGrid {
    /// An empty grid; sizes are at least 1×1.
    pub fn new(cols: u16, rows: u16) -> MaskGrid {
        let (cols, rows) = (cols.max(1), rows.max(1));
        MaskGrid {
            cols,
            rows,
            cells: vec![false; usize::from(cols) * usize::from(rows)],
        }
    }

    /// A grid no finer than the image, so every cell covers a pixel.
    pub fn for_image(cols: u16, rows: u16, width: u32, height: u32) -> MaskGrid {
        let cols = u32::from(cols).min(width.max(1)) as u16;
        let rows = u32::from(rows).min(height.max(1)) as u16;
        MaskGrid::new(cols, rows)
    }

    fn index(&self, col: u16, row: u16) -> Option<usize> {
        (col < self.cols && row < self.rows)
            .then(|| usize::from(row) * usize::from(self.cols) + usize::from(col))
    }

    pub fn get(&self, col: u16, row: u16) -> bool {
        self.index(col, row).is_some_and(|i| self.cells[i])
    }

    pub fn set(&mut self, col: u16, row: u16, painted: bool) {
        if let Some(i) = self.index(col, row) {
            self.cells[i] = painted;
        }
    }

    pub fn painted(&self) -> usize {
        self.cells.iter().filter(|c| **c).count()
    }

    pub fn is_empty(&self) -> bool {
        self.painted() == 0
    }

    /// Painted share of the grid, in percent.
    pub fn percent(&self) -> u32 {
        (self.painted() * 100).div_ceil(self.cells.len().max(1)) as u32
    }

    /// A square brush of `size` cells with its top-left cell at the
    /// centre's upper-left (size 1 is the cell itself).
    pub fn brush(&mut self, col: u16, row: u16, size: u16, painted: bool) {
        let (c0, r0, c1, r1) = self.brush_box(col, row, size);
        self.rect((c0, r0), (c1, r1), painted);
    }

    /// The cells a brush of `size` at `col`,`row` covers, as (left, top,
    /// right, bottom), inclusive and clipped to the grid.
    pub fn brush_box(&self, col: u16, row: u16, size: u16) -> (u16, u16, u16, u16) {
        let before = size.saturating_sub(1) / 2;
        let (c0, r0) = (col.saturating_sub(before), row.saturating_sub(before));
        (
            c0.min(self.cols - 1),
            r0.min(self.rows - 1),
            (c0 + size.max(1) - 1).min(self.cols - 1),
            (r0 + size.max(1) - 1).min(self.rows - 1),
        )
    }

    /// Every cell of the rectangle with these two corners.
    pub fn rect(&mut self, a: (u16, u16), b: (u16, u16), painted: bool) {
        for r in a.1.min(b.1)..=a.1.max(b.1) {
            for c in a.0.min(b.0)..=a.0.max(b.0) {
                self.set(c, r, painted);
            }
        }
    }

    /// Flood fill: the cells connected to this one (sideways, not
    /// diagonally) that are in the same state take the other state, so a
    /// painted outline can be filled and a painted area emptied.
    pub fn fill(&mut self, col: u16, row: u16) {
        let Some(start) = self.index(col, row) else {
            return;
        };
        let from = self.cells[start];
        let mut stack = vec![(col, row)];
        while let Some((c, r)) = stack.pop() {
            let Some(i) = self.index(c, r) else { continue };
            if self.cells[i] != from {
                continue;
            }
            self.cells[i] = !from;
            if c > 0 {
                stack.push((c - 1, r));
            }
            if r > 0 {
                stack.push((c, r - 1));
            }
            stack.push((c + 1, r));
            stack.push((c, r + 1));
        }
    }

    pub fn invert(&mut self) {
        for cell in &mut self.cells {
            *cell = !*cell;
        }
    }

    pub fn clear(&mut self) {
        self.cells.fill(false);
    }

    /// The grid cell under a position in an area of `area_cols`×`area_rows`
    /// drawn cells (the picture may be drawn at another size than the grid).
    pub fn cell_at(&self, x: u16, y: u16, area_cols: u16, area_rows: u16) -> (u16, u16) {
        let scale = |v: u16, from: u16, to: u16| {
            ((u32::from(v) * u32::from(to)) / u32::from(from.max(1))).min(u32::from(to) - 1) as u16
        };
        (
            scale(x, area_cols, self.cols),
            scale(y, area_rows, self.rows),
        )
    }
}

/// A grid with its undo history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskEdits {
    pub grid: MaskGrid,
    undo: Vec<MaskGrid>,
}

impl MaskEdits {
    pub fn new(grid: MaskGrid) -> MaskEdits {
        MaskEdits {
            grid,
            undo: Vec::new(),
        }
    }

    /// Runs a change, keeping the grid before it for undo when it changed anything.
    pub fn change(&mut self, f: impl FnOnce(&mut MaskGrid)) -> bool {
        let before = self.grid.clone();
        f(&mut self.grid);
        if self.grid == before {
            return false;
        }
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(before);
        true
    }

    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(grid) => {
                self.grid = grid;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn painted_cells(grid: &MaskGrid) -> Vec<(u16, u16)> {
        let mut out = Vec::new();
        for r in 0..grid.rows {
            for c in 0..grid.cols {
                if grid.get(c, r) {
                    out.push((c, r));
                }
            }
        }
        out
    }

    #[test]
    fn spans_tile_the_pixels_without_gaps() {
        for (cells, pixels) in [(7, 1024), (40, 1536), (3, 3), (13, 1000)] {
            let mut next = 0;
            for c in 0..cells {
                let s = span(c, cells, pixels);
                assert_eq!(s.start, next, "{cells} over {pixels}");
                assert!(!s.is_empty());
                next = s.end;
            }
            assert_eq!(next, pixels);
        }
    }

    #[test]
    fn brush_sizes_are_centred_and_clipped() {
        let mut grid = MaskGrid::new(6, 6);
        grid.brush(0, 0, 3, true);
        assert_eq!(
            painted_cells(&grid),
            vec![
                (0, 0),
                (1, 0),
                (2, 0),
                (0, 1),
                (1, 1),
                (2, 1),
                (0, 2),
                (1, 2),
                (2, 2)
            ]
        );
        grid.clear();
        grid.brush(3, 3, 3, true);
        assert_eq!(grid.painted(), 9);
        assert!(grid.get(2, 2) && grid.get(4, 4) && !grid.get(5, 5));
        grid.brush(5, 5, 4, true);
        assert!(grid.get(5, 5), "clipped at the edge, no panic");
    }

    #[test]
    fn fill_closes_an_outline_and_empties_an_area() {
        let mut grid = MaskGrid::new(7, 7);
        grid.rect((1, 1), (5, 1), true);
        grid.rect((1, 5), (5, 5), true);
        grid.rect((1, 1), (1, 5), true);
        grid.rect((5, 1), (5, 5), true);
        grid.fill(3, 3);
        assert_eq!(grid.painted(), 25);
        assert!(!grid.get(0, 0));
        grid.fill(3, 3);
        assert_eq!(grid.painted(), 0, "filling a painted area empties it");
    }

    #[test]
    fn undo_restores_and_skips_no_op_changes() {
        let mut edits = MaskEdits::new(MaskGrid::new(4, 4));
        assert!(edits.change(|g| g.set(1, 1, true)));
        assert!(
            !edits.change(|g| g.set(1, 1, true)),
            "no change, no undo step"
        );
        assert!(edits.change(MaskGrid::invert));
        assert_eq!(edits.grid.painted(), 15);
        assert!(edits.undo());
        assert_eq!(painted_cells(&edits.grid), vec![(1, 1)]);
        assert!(edits.undo());
        assert!(!edits.undo());
    }

    #[test]
    fn pictures_keep_their_aspect_in_cells() {
        // Cells twice as tall as wide: a square image is twice as many columns as rows.
        assert_eq!(picture_cells((100, 40), (8, 16), (1024, 1024)), (80, 40));
        assert_eq!(picture_cells((100, 40), (8, 16), (2048, 1024)), (100, 25));
        assert_eq!(picture_cells((3, 1), (8, 16), (10, 5000)), (1, 1));
    }

    #[test]
    fn cells_map_from_any_drawn_size() {
        let grid = MaskGrid::new(10, 5);
        assert_eq!(grid.cell_at(0, 0, 20, 10), (0, 0));
        assert_eq!(grid.cell_at(19, 9, 20, 10), (9, 4));
        assert_eq!(grid.cell_at(5, 5, 5, 5), (9, 4), "outside is clamped");
        assert_eq!(MaskGrid::for_image(80, 40, 16, 8).cols, 16);
    }
}
