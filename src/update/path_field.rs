//! The path field for exports, contact sheets and batch files: typed,
//! Tab completes, Enter goes.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::{Level, Model, Overlay, PathField, PathPurpose};
use crate::util::paths::expand_home;

pub fn open(model: &mut Model, purpose: PathPurpose) {
    if purpose != PathPurpose::BatchFile && crate::model::export::chosen_count(model) == 0 {
        let mark = model.keymap.gallery_key(Command::Mark);
        model.set_status(
            Level::Info,
            format!("Nothing to export: mark images with {mark}"),
        );
        return;
    }
    let text = match purpose {
        PathPurpose::ExportFolder => "~/artty-export/",
        PathPurpose::ContactSheet => "~/artty-contact-sheet.png",
        PathPurpose::BatchFile => "",
    };
    model.overlay = Some(Overlay::PathField(PathField {
        purpose,
        text: crate::model::line_edit::LineEdit::new(text),
        completions: Vec::new(),
    }));
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
            text: field.text.to_string(),
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
    let path: PathBuf = expand_home(text, model.session.home.as_deref());
    match field.purpose {
        PathPurpose::ExportFolder => {
            let images = crate::model::export::chosen(model);
            model.set_status(Level::Info, format!("Copying {} images…", images.len()));
            vec![Effect::Export {
                images,
                folder: path,
            }]
        }
        PathPurpose::ContactSheet => {
            let images = crate::model::export::chosen(model);
            model.set_status(
                Level::Info,
                format!("Making a contact sheet of {}…", images.len()),
            );
            vec![Effect::ContactSheet { images, file: path }]
        }
        PathPurpose::BatchFile => {
            model.set_status(Level::Info, "Reading the batch file…");
            vec![Effect::ReadBatch {
                path,
                step: crate::model::batches::BatchStep::Choose,
            }]
        }
    }
}
