//! Putting an edit or variation together: starting one from the gallery
//! and the edit panel's commands. Keeping the prepared inputs current and
//! sending are `edit_send.rs`.

use std::path::PathBuf;

use crate::api::Endpoint;
use crate::edit::prepare::permissive_rules;
use crate::effect::Effect;
use crate::keymap::{Command, Context};
use crate::model::edit::{DraftMask, EditDraft, PathFor, PathInput};
use crate::model::gallery::Row;
use crate::model::{Level, Model, Overlay};
use crate::store::sidecar::Sidecar;
use crate::util::paths::absolute;

/// `e` / `v` on a saved image: a new edit or variation of it. `e` while
/// an edit is open adds the image as its next source instead, so a
/// several-image edit is built by walking the gallery.
pub fn start(model: &mut Model, endpoint: Endpoint) -> Vec<Effect> {
    let Some(Row::Image(image)) = model.gallery.selected_row(&model.jobs) else {
        model.set_status(Level::Info, "Select a saved image to edit or vary");
        return Vec::new();
    };
    let path = image.path.clone();
    let adding = endpoint == Endpoint::Edits
        && model
            .edit
            .as_ref()
            .is_some_and(|d| d.endpoint == Endpoint::Edits);
    if adding {
        add_source(model, path);
    } else {
        model.edit = Some(EditDraft::new(endpoint, vec![path]));
        choose_model(model, endpoint);
        let keys = &model.keymap;
        let send = keys.global(Command::Generate);
        let text = if endpoint == Endpoint::Variations {
            format!("Variation: {send} sends it (no prompt needed)")
        } else {
            format!(
                "Edit: write the prompt, {} paints a mask, {} on more images adds them, {send} sends",
                keys.key(Context::Edit, Command::PaintMask),
                keys.gallery_key(Command::EditImage),
            )
        };
        let to = model.edit.as_ref().and_then(|d| d.model.clone());
        match to {
            Some(to) => {
                let current = model.params.model().to_string();
                model.set_status(
                    Level::Info,
                    format!("{text} · {current} does not serve it: this one goes to {to}"),
                );
            }
            None => model.set_status(Level::Info, text),
        }
    }
    model.overlay = Some(Overlay::Edit);
    Vec::new()
}

/// The most images the model takes in one edit.
fn max_images(model: &Model) -> usize {
    let name = model
        .edit
        .as_ref()
        .and_then(|d| d.model.as_deref())
        .unwrap_or(model.params.model());
    let spec = model.session.catalog.get(name);
    match model.edit.as_ref().map(|d| d.endpoint) {
        Some(Endpoint::Variations) => 1,
        _ => spec
            .map(|s| s.edit.as_ref().map_or(0, |e| e.max_images))
            .unwrap_or(permissive_rules().max_images),
    }
}

fn add_source(model: &mut Model, path: PathBuf) {
    let max = max_images(model);
    let Some(draft) = model.edit.as_mut() else {
        return;
    };
    if let Some(at) = draft.sources.iter().position(|p| *p == path) {
        draft.selected = at;
        model.set_status(Level::Info, format!("Already image {}", at + 1));
        return;
    }
    if draft.sources.len() >= max {
        let name = draft
            .model
            .clone()
            .unwrap_or_else(|| model.params.model().to_string());
        model.set_status(
            Level::Warning,
            format!(
                "{name} takes {max} image(s) per edit: remove one (d) or pick a GPT image model"
            ),
        );
        return;
    }
    draft.sources.push(path);
    draft.selected = draft.sources.len() - 1;
    draft.changed();
    let n = draft.sources.len();
    model.set_status(
        Level::Info,
        format!("Added as image {n}: the prompt can call it \"image {n}\""),
    );
}

/// Picks a model that serves the endpoint for this edit when the panel's
/// does not; the panel's model is left as the user chose it.
fn choose_model(model: &mut Model, endpoint: Endpoint) {
    let catalog = model.session.catalog.clone();
    let current = model.params.model().to_string();
    let Some(spec) = catalog.get(&current) else {
        return; // A model the table does not know: the server decides.
    };
    if spec.serves(endpoint) {
        return;
    }
    let today = model.session.today;
    let usable = |m: &&crate::api::ModelSpec| {
        m.serves(endpoint) && !matches!(m.lifecycle(today), crate::api::Lifecycle::ShutDown { .. })
    };
    let pick = catalog
        .default_model()
        .filter(|m| m.serves(endpoint))
        .or_else(|| catalog.models().iter().find(usable))
        .or_else(|| catalog.models().iter().find(|m| m.serves(endpoint)));
    if let (Some(pick), Some(draft)) = (pick, model.edit.as_mut()) {
        draft.model = Some(pick.name.clone());
    }
}

/// `r` on an edit's or variation's result: its sources, mask and fitting
/// come back with the prompt and parameters (already adopted).
/// A source gone from disk shows when the inputs are prepared (the panel
/// says which file cannot be read); `update` itself touches no files.
pub fn reload(model: &mut Model, sidecar: &Sidecar) -> Vec<Effect> {
    let sources = sidecar
        .sources
        .iter()
        .map(|s| PathBuf::from(&s.path))
        .collect();
    let mut draft = EditDraft::new(sidecar.endpoint, sources);
    draft.fit = sidecar.fit.unwrap_or_default();
    model.edit = Some(draft);
    model.overlay = Some(Overlay::Edit);
    let send = model.keymap.global(Command::Generate);
    model.set_status(
        Level::Info,
        format!("The edit is back as it was sent: {send} sends it again"),
    );
    sidecar
        .mask
        .iter()
        .map(|mask| load_mask_effect(model, PathBuf::from(&mask.path)))
        .collect()
}

fn load_mask_effect(model: &Model, path: PathBuf) -> Effect {
    let area = crate::layout::painter::picture_area(model.size);
    Effect::LoadMask {
        path,
        area: (area.width, area.height),
        cell: model.session.images.cell,
    }
}

/// The edit panel's commands.
pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    if model.editing_path() {
        return run_path(model, command);
    }
    let Some(draft) = model.edit.as_mut() else {
        model.overlay = None;
        return Vec::new();
    };
    match command {
        Command::Up => draft.move_selected(-1),
        Command::Down => draft.move_selected(1),
        Command::MoveEarlier => {
            draft.reorder(-1);
        }
        Command::MoveLater => {
            draft.reorder(1);
        }
        Command::AddSource => open_path(draft, PathFor::Source),
        Command::LoadMask if draft.is_variation() => {
            model.set_status(Level::Info, "Variations take no mask")
        }
        Command::LoadMask => open_path(draft, PathFor::Mask),
        Command::Delete if !draft.sources.is_empty() => {
            draft.sources.remove(draft.selected);
            draft.move_selected(0);
            draft.changed();
        }
        Command::PaintMask if draft.is_variation() => {
            model.set_status(Level::Info, "Variations take no mask")
        }
        Command::PaintMask => super::painter::open(model),
        Command::ClearMask if draft.mask.take().is_some() => {
            draft.changed();
            model.set_status(Level::Info, "Mask removed: the whole image may change");
        }
        Command::CycleFit => {
            draft.fit.square = draft.fit.square.next();
            draft.changed();
        }
        Command::CycleEdge => draft.cycle_longest_edge(),
        Command::CycleFeather => draft.cycle_feather(),
        Command::Discard => discard(model),
        _ => {}
    }
    Vec::new()
}

fn open_path(draft: &mut EditDraft, purpose: PathFor) {
    // Start where the last source lives: the likeliest place for the next.
    let text = draft
        .sources
        .last()
        .and_then(|p| p.parent())
        .map(|d| format!("{}/", d.display()))
        .unwrap_or_default();
    draft.path_input = Some(PathInput {
        purpose,
        text: crate::model::line_edit::LineEdit::new(&text),
        completions: Vec::new(),
    });
}

pub fn discard(model: &mut Model) {
    model.edit = None;
    model.params.values.input_fidelity = None;
    model.overlay = None;
    let send = model.keymap.global(Command::Generate);
    model.set_status(
        Level::Info,
        format!("Edit discarded: {send} generates from the prompt again"),
    );
}

fn run_path(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(input) = model.edit.as_mut().and_then(|d| d.path_input.as_mut()) else {
        return Vec::new();
    };
    match command {
        Command::Complete => vec![Effect::CompletePath {
            text: input.text.to_string(),
            any_file: false,
        }],
        Command::Choose => {
            let (purpose, text) = (input.purpose, input.text.trim().to_string());
            if text.is_empty() || text.ends_with('/') {
                model.set_status(Level::Info, "Type a file name (Tab completes)");
                return Vec::new();
            }
            if let Some(draft) = model.edit.as_mut() {
                draft.path_input = None;
            }
            // Recorded in the sidecar, so it must not depend on where artty
            // was started.
            let session = &model.session;
            let path = absolute(&text, session.home.as_deref(), &session.working_dir);
            match purpose {
                // Whether it is an image is for the worker to find out;
                // it joins the list once it is known to be one.
                PathFor::Source => vec![Effect::CheckSource(path)],
                PathFor::Mask => vec![load_mask_effect(model, path)],
            }
        }
        _ => Vec::new(),
    }
}

/// Keys typed into the path field.
pub fn type_path(model: &mut Model, key: crossterm::event::KeyEvent) {
    if let Some(input) = model.edit.as_mut().and_then(|d| d.path_input.as_mut())
        && super::text_line::edit(&mut input.text, key, '/')
    {
        input.completions.clear();
    }
}

pub fn paste_path(model: &mut Model, text: &str) {
    if let Some(input) = model.edit.as_mut().and_then(|d| d.path_input.as_mut()) {
        super::text_line::paste(&mut input.text, text);
        input.completions.clear();
    }
}

pub fn completed(model: &mut Model, text: String, completions: Vec<String>) -> Vec<Effect> {
    let Some(input) = model.edit.as_mut().and_then(|d| d.path_input.as_mut()) else {
        return Vec::new();
    };
    if !super::text_line::complete(&mut input.text, &mut input.completions, &text, completions) {
        model.set_status(Level::Info, "No image files or folders match");
    }
    Vec::new()
}

/// A typed source was read: added when it is an image, refused with the
/// reason when not (the path field is closed either way; `a` opens it
/// again).
pub fn source_checked(model: &mut Model, path: PathBuf, result: Result<(), String>) -> Vec<Effect> {
    match result {
        Ok(()) => add_source(model, path),
        Err(why) => model.set_status(Level::Error, format!("Not added: {why}")),
    }
    Vec::new()
}

pub fn mask_loaded(
    model: &mut Model,
    path: PathBuf,
    result: Result<crate::edit::MaskGrid, String>,
) -> Vec<Effect> {
    let Some(draft) = model.edit.as_mut() else {
        return Vec::new();
    };
    match result {
        Ok(grid) => {
            let percent = grid.percent();
            draft.mask = Some(DraftMask {
                edits: crate::edit::MaskEdits::new(grid),
                file: Some(path.clone()),
                touched: false,
            });
            draft.changed();
            model.set_status(
                Level::Info,
                format!("Mask loaded from {} ({percent}% to edit)", path.display()),
            );
        }
        Err(why) => model.set_status(Level::Error, format!("Mask not loaded: {why}")),
    }
    Vec::new()
}
