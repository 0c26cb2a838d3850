//! `c`: the marked images side by side; with none marked, the selected
//! image's sweep, or the image and the one it was made from.

use std::path::PathBuf;

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::compare::Compare;
use crate::model::gallery::Row;
use crate::model::{Level, Model, Overlay};
use crate::store::sidecar::GroupKind;

pub fn open(model: &mut Model) {
    let paths = what_to_compare(model);
    if paths.len() < 2 {
        let text = format!(
            "Mark 2–4 images with {}, then {} (a sweep's result compares its sweep)",
            model.keymap.gallery_key(Command::Mark),
            model.keymap.gallery_key(Command::Compare),
        );
        model.set_status(Level::Info, text);
        return;
    }
    model.overlay = Some(Overlay::Compare(Compare { paths, page: 0 }));
}

fn what_to_compare(model: &Model) -> Vec<PathBuf> {
    let gallery = &model.gallery;
    if gallery.marked.len() >= 2 {
        return gallery.marked.clone();
    }
    let Some(Row::Image(image)) = gallery.selected_row(&model.jobs) else {
        return Vec::new();
    };
    if let Some(group) = &image.sidecar.group
        && group.kind == GroupKind::Sweep
    {
        // In the sweep's order: oldest first, as the cells were sent.
        let mut cells: Vec<PathBuf> = gallery
            .images
            .iter()
            .rev()
            .filter(|i| i.sidecar.group.as_ref().is_some_and(|g| g.id == group.id))
            .map(|i| i.path.clone())
            .collect();
        cells.dedup();
        return cells;
    }
    let parent = image
        .sidecar
        .sources
        .first()
        .map(|s| PathBuf::from(&s.path))
        .or_else(|| image.sidecar.reused_from.as_ref().map(PathBuf::from))
        .filter(|p| gallery.image(p).is_some());
    match parent {
        Some(parent) => vec![parent, image.path.clone()],
        None => Vec::new(),
    }
}

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(Overlay::Compare(compare)) = &mut model.overlay else {
        return Vec::new();
    };
    let pages = compare.pages();
    match command {
        Command::Left => compare.page = (compare.page + pages - 1) % pages,
        Command::Right => compare.page = (compare.page + 1) % pages,
        _ => {}
    }
    Vec::new()
}
