//! The edit panel's strip of source thumbnails.

use ratatui::layout::Rect;

use super::areas::{inside, overlay_area, screen};
use crate::images::graphics::Graphics;
use crate::layout::grid::Grid;
use crate::layout::picture_box::{Picture, pixel_box};
use crate::model::thumbs::{Source, ThumbKey};
use crate::model::{Model, Overlay};

/// The strip of source thumbnails takes at most this many rows.
const STRIP_ROWS: u16 = 12;

/// The source thumbnails' grid: one row, scrolled to the selected source.
pub fn strip(model: &Model) -> Option<Grid> {
    if model.session.images.graphics == Graphics::None {
        return None;
    }
    if model.edit.as_ref().is_none_or(|d| d.sources.is_empty()) {
        return None;
    }
    let inner = inside(overlay_area(&Overlay::Edit, screen(model)));
    let height = (inner.height / 2).min(STRIP_ROWS);
    let count = model.edit.as_ref().map_or(0, |d| d.sources.len());
    let grid = Grid::fit(Rect { height, ..inner }, model.session.images.cell, count)?;
    Some(Grid { rows: 1, ..grid })
}

/// The first source in the strip.
pub fn first_shown(grid: &Grid, selected: usize) -> usize {
    selected / grid.columns * grid.columns
}

/// The source thumbnails on screen.
pub fn pictures(model: &Model) -> Vec<Picture> {
    let (Some(grid), Some(draft)) = (strip(model), &model.edit) else {
        return Vec::new();
    };
    let first = first_shown(&grid, draft.selected);
    draft
        .sources
        .iter()
        .enumerate()
        .skip(first)
        .take(grid.columns)
        .map(|(i, path)| {
            let area = grid.tile(i - first).0;
            Picture {
                key: ThumbKey {
                    source: Source::Saved(path.clone()),
                    size: pixel_box(model, area),
                },
                area,
            }
        })
        .collect()
}
