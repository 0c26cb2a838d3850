//! What an export would take now: plain questions about the model, asked by
//! `update` when it starts one and by the path field's title.

use super::Model;
use super::gallery::Row;
use crate::store::sidecar::SavedImage;

/// What an export takes: the marked images; with none marked, what the
/// search shows when there is one, else the selected image.
pub fn chosen(model: &Model) -> Vec<SavedImage> {
    let gallery = &model.gallery;
    if !gallery.marked.is_empty() {
        return gallery
            .marked
            .iter()
            .filter_map(|p| gallery.image(p).cloned())
            .collect();
    }
    if !gallery.query.is_empty() {
        return gallery.listed_images().cloned().collect();
    }
    match gallery.selected_row(&model.jobs) {
        Some(Row::Image(image)) => vec![image.clone()],
        _ => Vec::new(),
    }
}

/// How many images `chosen` would give, without copying them.
pub fn chosen_count(model: &Model) -> usize {
    let gallery = &model.gallery;
    if !gallery.marked.is_empty() {
        gallery.marked.len()
    } else if !gallery.query.is_empty() {
        gallery.listed()
    } else {
        usize::from(matches!(
            gallery.selected_row(&model.jobs),
            Some(Row::Image(_))
        ))
    }
}
