//! The path field for exports, contact sheets and batch files: typed,
//! Tab completes, Enter goes.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::gallery::Row;
use crate::model::{Level, Model, Overlay, PathField, PathPurpose};
use crate::store::gallery::SavedImage;

pub fn open(model: &mut Model, purpose: PathPurpose) {
    if purpose != PathPurpose::BatchFile && chosen_count(model) == 0 {
        model.set_status(Level::Info, "Nothing to export: mark images with Space");
        return;
    }
    let text = match purpose {
        PathPurpose::ExportFolder => "~/artty-export/",
        PathPurpose::ContactSheet => "~/artty-contact-sheet.png",
        PathPurpose::BatchFile => "",
    };
    model.overlay = Some(Overlay::PathField(PathField {
        purpose,
        text: text.into(),
        completions: Vec::new(),
    }));
}

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

fn field(model: &mut Model) -> Option<&mut PathField> {
    match &mut model.overlay {
        Some(Overlay::PathField(field)) => Some(field),
        _ => None,
    }
}

pub fn typed(model: &mut Model, key: KeyEvent) {
    if let Some(field) = field(model)
        && super::text_line::edit(&mut field.text, key, '/')
    {
        field.completions.clear();
    }
}

pub fn pasted(model: &mut Model, text: &str) {
    if let Some(field) = field(model) {
        super::text_line::paste(&mut field.text, text);
        field.completions.clear();
    }
}

/// Completions arrived; `false` when they were not this field's.
pub fn completed(model: &mut Model, text: &str, completions: Vec<String>) -> bool {
    let Some(field) = field(model) else {
        return false;
    };
    if !super::text_line::complete(&mut field.text, &mut field.completions, text, completions) {
        model.set_status(Level::Info, "No files or folders match");
    }
    true
}

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(field) = field(model) else {
        return Vec::new();
    };
    match command {
        Command::Complete => vec![Effect::CompletePath {
            text: field.text.clone(),
            any_file: field.purpose == PathPurpose::BatchFile,
        }],
        Command::Choose => go(model),
        _ => Vec::new(),
    }
}

fn go(model: &mut Model) -> Vec<Effect> {
    let Some(Overlay::PathField(field)) = model.overlay.take() else {
        return Vec::new();
    };
    let text = field.text.trim();
    if text.is_empty() {
        model.set_status(Level::Warning, "No path given");
        return Vec::new();
    }
    let path: PathBuf = crate::effect::edit_inputs::expand_home(text);
    match field.purpose {
        PathPurpose::ExportFolder => {
            let images = chosen(model);
            model.set_status(Level::Info, format!("Copying {} images…", images.len()));
            vec![Effect::Export {
                images,
                folder: path,
            }]
        }
        PathPurpose::ContactSheet => {
            let images = chosen(model);
            model.set_status(
                Level::Info,
                format!("Making a contact sheet of {}…", images.len()),
            );
            vec![Effect::ContactSheet { images, file: path }]
        }
        PathPurpose::BatchFile => {
            model.set_status(Level::Info, "Reading the batch file…");
            vec![Effect::ReadBatch(path)]
        }
    }
}
