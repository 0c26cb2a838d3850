//! `t`: the family tree of the selected image; Enter goes to an image.

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::family::family_of;
use crate::model::gallery::Row;
use crate::model::{Level, Model, Overlay};

pub fn open(model: &mut Model) {
    let Some(Row::Image(image)) = model.gallery.selected_row(&model.jobs) else {
        return;
    };
    let view = family_of(&model.gallery.images, &image.path);
    if view.lines.len() < 2 {
        model.set_status(
            Level::Info,
            "No family: this image was not made from another, and none from it",
        );
        return;
    }
    model.overlay = Some(Overlay::Family(view));
}

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(Overlay::Family(view)) = &mut model.overlay else {
        return Vec::new();
    };
    let last = view.lines.len().saturating_sub(1);
    match command {
        Command::Up => view.selected = view.selected.saturating_sub(1),
        Command::Down => view.selected = (view.selected + 1).min(last),
        Command::Choose => {
            let Some(line) = view.lines.get(view.selected) else {
                return Vec::new();
            };
            let path = line.path.clone();
            model.overlay = None;
            if !model.gallery.select_path(&model.jobs, &path) {
                // Hidden by the search: the search gives way.
                model.gallery.query = Default::default();
                model.gallery.refilter(&model.jobs);
                model.gallery.select_path(&model.jobs, &path);
                model.set_status(Level::Info, "Search cleared to show the image");
            }
        }
        _ => {}
    }
    Vec::new()
}
