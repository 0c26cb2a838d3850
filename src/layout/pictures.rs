//! Every picture on screen, as a pure function of the model: the grid's
//! tiles, the selected entry beside the gallery, the full-size preview.
//! The views draw with it, `update` asks for the thumbnails it lists, and
//! the app places out-of-band images with it, so all three agree. Pictures
//! an overlay would cover are left out, so out-of-band images under a popup
//! are erased instead of showing through. The selection's preview is left
//! out while a burst of moves goes on (`model::settle`).

use ratatui::layout::Rect;

use super::areas::{Areas, inside, list_and_search, overlay_area};
use super::picture_box::{Picture, pixel_box};
use crate::images::graphics::Graphics;
use crate::images::layer::Placement;
use crate::layout::grid::Grid;
use crate::model::gallery::Row;
use crate::model::thumbs::{Shown, Source, ThumbKey};
use crate::model::{Model, Overlay};

/// The details column beside the full-size preview.
const INFO_WIDTH: u16 = 44;

/// The gallery's grid, when it shows thumbnails.
pub fn gallery_grid(model: &Model) -> Option<Grid> {
    if model.session.images.graphics == Graphics::None {
        return None;
    }
    let areas = Areas::of(model);
    let (list, _) = list_and_search(model, inside(areas.gallery));
    let entries = model.gallery.len(&model.jobs);
    Grid::fit(list, model.session.images.cell, entries)
}

/// Where the preview beside the gallery puts the picture and the text.
pub fn preview_split(model: &Model, inner: Rect) -> (Option<Rect>, Rect) {
    let (cw, ch) = model.session.images.cell;
    if !selected_has_picture(model) || inner.height < 3 {
        return (None, inner);
    }
    let square = (u32::from(inner.height) * u32::from(ch)).div_ceil(u32::from(cw.max(1)));
    let columns = (square as u16).min(inner.width / 2);
    let picture = Rect::new(inner.x, inner.y, columns, inner.height);
    let text = Rect::new(
        inner.x + columns + 1,
        inner.y,
        inner.width.saturating_sub(columns + 1),
        inner.height,
    );
    (Some(picture), text)
}

/// Where the full-size preview puts the picture and the details.
pub fn details_split(model: &Model, inner: Rect) -> (Option<Rect>, Option<Rect>) {
    if !selected_has_picture(model) {
        return (None, Some(inner));
    }
    // Narrow screens give the picture the whole width; `i` shows the details.
    if model.gallery.info_hidden || inner.width < INFO_WIDTH * 2 {
        return (Some(inner), None);
    }
    let picture_width = inner.width - INFO_WIDTH - 1;
    (
        Some(Rect::new(inner.x, inner.y, picture_width, inner.height)),
        Some(Rect::new(
            inner.x + picture_width + 1,
            inner.y,
            INFO_WIDTH,
            inner.height,
        )),
    )
}

/// Images are drawn, and the selected entry has one.
fn selected_has_picture(model: &Model) -> bool {
    model.session.images.graphics != Graphics::None
        && model
            .gallery
            .selected_row(&model.jobs)
            .is_some_and(|row| source(row).is_some())
}

/// The picture drawn in `area`, if any.
pub fn in_area(pictures: &[Picture], area: Rect) -> Option<&Picture> {
    pictures.iter().find(|p| p.area == area)
}

/// What an entry's picture is made from: a saved image, or a job's latest
/// partial image.
pub fn source(row: Row) -> Option<Source> {
    match row {
        Row::Image(image) => Some(Source::Saved(image.path.clone())),
        Row::Job(job) => job.partial.as_ref().map(|p| Source::Partial {
            job: job.id,
            index: p.index,
        }),
    }
}

fn picture(model: &Model, row: Row, area: Rect) -> Option<Picture> {
    let source = source(row)?;
    (area.width > 0 && area.height > 0).then(|| Picture {
        key: ThumbKey {
            source,
            size: pixel_box(model, area),
        },
        area,
    })
}

/// Every picture on screen now, in drawing order.
pub fn pictures(model: &Model) -> Vec<Picture> {
    if model.session.images.graphics == Graphics::None {
        return Vec::new();
    }
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let rests = !model.gallery.settle.waits();
    if let Some(overlay @ Overlay::Details { .. }) = &model.overlay {
        if !rests {
            return Vec::new();
        }
        let inner = inside(overlay_area(overlay, screen));
        let (area, _) = details_split(model, inner);
        let selected = model.gallery.selected_row(&model.jobs);
        return selected
            .zip(area)
            .and_then(|(row, area)| picture(model, row, area))
            .into_iter()
            .collect();
    }
    if model.overlay == Some(Overlay::Edit) {
        return super::edit::pictures(model);
    }
    if let Some(Overlay::Compare(_)) = &model.overlay {
        return super::compare::pictures(model);
    }
    let mut all = grid_pictures(model);
    let areas = Areas::of(model);
    if let (true, Some(row), (Some(area), _)) = (
        rests,
        model.gallery.selected_row(&model.jobs),
        preview_split(model, inside(areas.preview)),
    ) {
        all.extend(picture(model, row, area));
    }
    if let Some(overlay) = &model.overlay {
        let covered = overlay_area(overlay, screen);
        all.retain(|p| p.area.intersection(covered).is_empty());
    }
    all
}

fn grid_pictures(model: &Model) -> Vec<Picture> {
    let Some(grid) = gallery_grid(model) else {
        return Vec::new();
    };
    let first = grid.top_row(model.gallery.top_row, model.gallery.selected) * grid.columns;
    (0..grid.page())
        .filter_map(|slot| {
            let row = model.gallery.row(&model.jobs, first + slot)?;
            picture(model, row, grid.tile(slot).0)
        })
        .collect()
}

/// The ready pictures on screen, with their ids and pixels: what the image
/// layer places.
pub fn placements(model: &Model) -> Vec<Placement> {
    pictures(model)
        .into_iter()
        .filter_map(|picture| match model.thumbs.shown(&picture.key) {
            Shown::Ready(ready) => Some(Placement {
                id: ready.id,
                area: picture.area,
                frame: frame_of(model, &ready.image),
                image: ready.image.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The frame of an animated picture that shows now: stepped by the app's
/// clock, unless animation is off or the terminal plays it itself.
pub fn frame_of(model: &Model, image: &crate::images::prepared::Prepared) -> usize {
    let images = model.session.images;
    if !images.animate || images.plays_animations() {
        return 0;
    }
    let elapsed = model.now.saturating_duration_since(model.epoch);
    image.frame_at(elapsed.as_millis() as u64)
}

/// True while an animated picture is on screen that the app must step:
/// the loop ticks only then (and while jobs run), so an animation off
/// screen costs nothing.
pub fn steps_animation(model: &Model) -> bool {
    let images = model.session.images;
    images.animate
        && !images.plays_animations()
        && images.graphics != Graphics::None
        && pictures(model).iter().any(|picture| {
            matches!(model.thumbs.shown(&picture.key), Shown::Ready(ready) if ready.image.is_animated())
        })
}
