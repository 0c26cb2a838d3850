//! Moving along lineage in the gallery: from an edit or variation to the
//! image it was made from (`p`), and back (`Backspace`).

use std::path::PathBuf;

use crate::model::gallery::Row;
use crate::model::{Level, Model};

pub fn to_parent(model: &mut Model) {
    let Some(Row::Image(image)) = model.gallery.selected_row(&model.jobs) else {
        return;
    };
    let here = image.path.clone();
    let parents: Vec<PathBuf> = image
        .sidecar
        .sources
        .iter()
        .map(|s| PathBuf::from(&s.path))
        .collect();
    if parents.is_empty() {
        model.set_status(Level::Info, "This image was generated from a prompt alone");
        return;
    }
    let jobs = &model.jobs;
    if parents.iter().any(|p| model.gallery.select_path(jobs, p)) {
        model.gallery.back.push(here);
        model.set_status(
            Level::Info,
            "The image it was made from: Backspace goes back",
        );
    } else {
        let names: Vec<String> = parents.iter().map(|p| p.display().to_string()).collect();
        model.set_status(
            Level::Info,
            format!(
                "Made from {}, which is not in the gallery",
                names.join(", ")
            ),
        );
    }
}

pub fn back(model: &mut Model) {
    while let Some(path) = model.gallery.back.pop() {
        if model.gallery.select_path(&model.jobs, &path) {
            return;
        }
    }
    model.set_status(Level::Info, "Nowhere to go back to");
}
