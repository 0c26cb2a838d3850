//! Compare's tiles: up to four pictures side by side, their captions, and
//! the text below them.

use ratatui::layout::Rect;

use super::areas::{inside, overlay_area, screen};
use crate::layout::picture_box::{Picture, pixel_box};
use crate::model::compare::{Compare, differing};
use crate::model::thumbs::{Source, ThumbKey};
use crate::model::{Model, Overlay};
use crate::store::sidecar::SavedImage;

/// The images shown now, found in the gallery.
pub fn shown<'a>(model: &'a Model, compare: &Compare) -> Vec<&'a SavedImage> {
    compare
        .shown()
        .iter()
        .filter_map(|p| model.gallery.image(p))
        .collect()
}

/// Lines the differences take, at most a third of the inside.
fn differences_height(inner: Rect, rows: usize) -> u16 {
    (rows as u16 + 2).min(inner.height / 3).max(3)
}

/// Each image's picture area and caption line.
fn tiles(inner: Rect, count: usize, below: u16) -> Vec<(Rect, Rect)> {
    let count = count.max(1) as u16;
    let width = inner.width / count;
    let height = inner.height.saturating_sub(below + 1);
    (0..count)
        .map(|i| {
            let x = inner.x + i * width;
            (
                Rect::new(x, inner.y, width.saturating_sub(1), height),
                Rect::new(x, inner.y + height, width.saturating_sub(1), 1),
            )
        })
        .collect()
}

/// Each image's picture area and caption, and the area of the text below.
pub fn layout(model: &Model, compare: &Compare) -> (Vec<(Rect, Rect)>, Rect) {
    let inner = inside(overlay_area(
        &Overlay::Compare(compare.clone()),
        screen(model),
    ));
    let images = shown(model, compare);
    let sidecars: Vec<_> = images.iter().map(|i| &i.sidecar).collect();
    let rows = images.len().saturating_sub(1) + differing(&sidecars).len() + 1;
    let below = differences_height(inner, rows);
    let tiles = tiles(inner, images.len(), below);
    let text = Rect::new(
        inner.x,
        inner.y + inner.height.saturating_sub(below),
        inner.width,
        below,
    );
    (tiles, text)
}

/// The pictures compare shows.
pub fn pictures(model: &Model) -> Vec<Picture> {
    let Some(Overlay::Compare(compare)) = &model.overlay else {
        return Vec::new();
    };
    let (tiles, _) = layout(model, compare);
    shown(model, compare)
        .iter()
        .zip(tiles)
        .filter(|(_, (area, _))| area.width > 0 && area.height > 0)
        .map(|(image, (area, _))| Picture {
            key: ThumbKey {
                source: Source::Saved(image.path.clone()),
                size: pixel_box(model, area),
            },
            area,
        })
        .collect()
}
