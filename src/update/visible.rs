//! After every change: size the thumbnails' memory for the screen, keep
//! the grid scrolled to the selection, and ask for the thumbnails on
//! screen that are missing. The request list is
//! only sent when it changes, and it replaces the one before, so work for
//! pictures scrolled away is dropped.

use crate::effect::{Effect, ThumbnailFrom, ThumbnailRequest};
use crate::layout::pictures::{gallery_grid, pictures};
use crate::model::Model;
use crate::model::thumbs::{Source, ThumbKey};

pub fn follow_view(model: &mut Model) -> Vec<Effect> {
    let images = model.session.images;
    model
        .thumbs
        .fit_budget(crate::model::thumbs::budget_for(model.size, images.cell));
    if let Some(grid) = gallery_grid(model) {
        model.gallery.top_row = grid.top_row(model.gallery.top_row, model.gallery.selected);
    }
    let mut missing = Vec::new();
    let keys = pictures(model)
        .into_iter()
        .map(|p| p.key)
        .chain(crate::layout::painter::picture_key(model));
    for key in keys {
        if model.thumbs.is_missing(&key) {
            missing.push(key);
        } else {
            model.thumbs.touch(&key);
        }
    }
    if missing == model.thumbs.asked {
        return Vec::new();
    }
    let requests = missing
        .iter()
        .filter_map(|key| request(model, key))
        .collect();
    model.thumbs.asked = missing;
    vec![Effect::MakeThumbnails(requests)]
}

fn request(model: &Model, key: &ThumbKey) -> Option<ThumbnailRequest> {
    let mut graphics = model.session.images.graphics;
    let from = match &key.source {
        Source::Saved(path) => ThumbnailFrom::File(path.clone()),
        Source::Painting(path) => {
            // Drawn in half blocks by the painter whatever the terminal.
            graphics = crate::images::graphics::Graphics::Blocks;
            ThumbnailFrom::File(path.clone())
        }
        Source::Partial { job, index } => {
            let partial = model
                .jobs
                .list
                .iter()
                .find(|j| j.id == *job)?
                .partial
                .as_ref()?;
            if partial.index != *index {
                return None;
            }
            ThumbnailFrom::Pixels(partial.pixels.clone())
        }
    };
    Some(ThumbnailRequest {
        key: key.clone(),
        from,
        graphics,
    })
}

/// The entry under a click in the grid, if any.
pub fn entry_at(model: &Model, column: u16, row: u16) -> Option<usize> {
    let grid = gallery_grid(model)?;
    let slot = grid.slot_at(column, row)?;
    let index = grid.top_row(model.gallery.top_row, model.gallery.selected) * grid.columns + slot;
    model.gallery.row(&model.jobs, index).map(|_| index)
}
