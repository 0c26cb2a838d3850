//! Putting an edit or variation together: starting one from the gallery,
//! the edit panel's commands, keeping the prepared inputs current, and
//! sending.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{Endpoint, ImageParams, ImageRequest};
use crate::edit::prepare::permissive_rules;
use crate::effect::Effect;
use crate::effect::edit_inputs::{EditInputs, MaskSpec, expand_home};
use crate::keymap::Command;
use crate::model::edit::{DraftMask, EditDraft, PathFor, PathInput, Preparation};
use crate::model::gallery::Row;
use crate::model::jobs::SentInputs;
use crate::model::{Level, Model, Overlay};
use crate::store::gallery::{Sidecar, SourceRef};

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
        if endpoint == Endpoint::Variations {
            model.set_status(Level::Info, "Variation: Ctrl+G sends it (no prompt needed)");
        } else {
            model.set_status(
                Level::Info,
                "Edit: write the prompt, m paints a mask, e on more images adds them, Ctrl+G sends",
            );
        }
    }
    model.overlay = Some(Overlay::Edit);
    Vec::new()
}

/// The most images the model takes in one edit.
fn max_images(model: &Model) -> usize {
    let spec = model.session.catalog.get(model.params.model());
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
        let name = model.params.model().to_string();
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

/// Switches to a model that serves the endpoint when the current one does not.
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
    if let Some(pick) = pick {
        let name = pick.name.clone();
        model.params.set_model(&name);
        model.set_status(
            Level::Info,
            format!(
                "{current} does not serve {}: switched to {name}",
                endpoint.name()
            ),
        );
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
    model.set_status(
        Level::Info,
        "The edit is back as it was sent: Ctrl+G sends it again",
    );
    sidecar
        .mask
        .iter()
        .map(|mask| load_mask_effect(model, PathBuf::from(&mask.path)))
        .collect()
}

fn load_mask_effect(model: &Model, path: PathBuf) -> Effect {
    let area = crate::ui::painter::picture_area(model.size);
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
        text,
        completions: Vec::new(),
    });
}

pub fn discard(model: &mut Model) {
    model.edit = None;
    model.params.values.input_fidelity = None;
    model.overlay = None;
    model.set_status(
        Level::Info,
        "Edit discarded: Ctrl+G generates from the prompt again",
    );
}

fn run_path(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(input) = model.edit.as_mut().and_then(|d| d.path_input.as_mut()) else {
        return Vec::new();
    };
    match command {
        Command::Complete => vec![Effect::CompletePath {
            text: input.text.clone(),
            any_file: false,
        }],
        Command::Choose => {
            let (purpose, text) = (input.purpose, input.text.trim().to_string());
            // Whether the file exists is for the worker to find out: the
            // panel then says it cannot be read.
            if text.is_empty() || text.ends_with('/') {
                model.set_status(Level::Info, "Type a file name (Tab completes)");
                return Vec::new();
            }
            if let Some(draft) = model.edit.as_mut() {
                draft.path_input = None;
            }
            // Recorded in the sidecar, so it must not depend on where artty
            // was started. (This reads the working directory, no files.)
            let path = expand_home(&text);
            let path = std::path::absolute(&path).unwrap_or(path);
            match purpose {
                PathFor::Source => {
                    add_source(model, path);
                    Vec::new()
                }
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

pub fn completed(model: &mut Model, text: String, completions: Vec<String>) {
    let Some(input) = model.edit.as_mut().and_then(|d| d.path_input.as_mut()) else {
        return;
    };
    if !super::text_line::complete(&mut input.text, &mut input.completions, &text, completions) {
        model.set_status(Level::Info, "No image files or folders match");
    }
}

pub fn mask_loaded(
    model: &mut Model,
    path: PathBuf,
    result: Result<crate::edit::MaskGrid, String>,
) {
    let Some(draft) = model.edit.as_mut() else {
        return;
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
}

/// After every change: prepare the inputs again when they or the model
/// changed (not while painting: the mask is prepared once the painter
/// closes).
pub fn follow(model: &mut Model) -> Vec<Effect> {
    // The parameters panel shows edit-only rows while an edit is open.
    model.params.for_edit = model
        .edit
        .as_ref()
        .is_some_and(|d| d.endpoint == Endpoint::Edits);
    let Some(draft) = model.edit.as_mut() else {
        return Vec::new();
    };
    let model_name = model.params.model().to_string();
    if draft.rules_model != model_name {
        draft.rules_model = model_name.clone();
        draft.changed();
    }
    if model.overlay == Some(Overlay::Painter) || draft.requested == draft.version {
        return Vec::new();
    }
    draft.requested = draft.version;
    if draft.sources.is_empty() {
        draft.prepared_version = draft.version;
        draft.preparation =
            Preparation::Failed("no source image yet: a adds one from a file".into());
        return Vec::new();
    }
    let spec = model.session.catalog.get(&model_name);
    let rules = spec
        .and_then(|s| s.edit.clone())
        .unwrap_or_else(permissive_rules);
    let mask = draft
        .mask
        .as_ref()
        .filter(|_| !draft.is_variation())
        .map(|m| match &m.file {
            Some(path) if !m.touched => MaskSpec::File(path.clone()),
            _ => MaskSpec::Painted {
                grid: m.edits.grid.clone(),
                feather: draft.feather,
            },
        });
    vec![Effect::PrepareEdit(Box::new(EditInputs {
        version: draft.version,
        sources: draft.sources.clone(),
        mask,
        rules,
        fit: draft.fit,
        markup: draft
            .markup
            .clone()
            .filter(|m| !m.is_empty() && !draft.is_variation()),
    }))]
}

pub fn prepared(
    model: &mut Model,
    version: u64,
    result: Result<Arc<crate::edit::PreparedEdit>, String>,
) -> Vec<Effect> {
    let Some(draft) = model.edit.as_mut().filter(|d| d.version == version) else {
        return Vec::new();
    };
    draft.prepared_version = version;
    let send = std::mem::take(&mut draft.send_when_ready);
    match result {
        Ok(prepared) => {
            draft.preparation = Preparation::Ready(prepared);
            if send {
                return self::send(model);
            }
        }
        Err(why) => {
            draft.preparation = Preparation::Failed(why.clone());
            if send {
                model.set_status(Level::Error, format!("Not sent: {why}"));
            }
        }
    }
    Vec::new()
}

/// Only what variations take: they have no prompt, quality or style.
fn variation_params(values: &ImageParams) -> ImageParams {
    ImageParams {
        model: values.model.clone(),
        n: values.n,
        size: values.size.clone(),
        response_format: values.response_format.clone(),
        user: values.user.clone(),
        ..ImageParams::default()
    }
}

/// Ctrl+G with an edit open: sends it with the prompt and parameters.
pub fn send(model: &mut Model) -> Vec<Effect> {
    let Some(draft) = model.edit.as_ref() else {
        return Vec::new();
    };
    let endpoint = draft.endpoint;
    let params = if endpoint == Endpoint::Variations {
        variation_params(&model.params.values)
    } else {
        match super::jobs::params_with_prompt(model) {
            Some(params) => params,
            None => return Vec::new(),
        }
    };
    let Some(draft) = model.edit.as_mut() else {
        return Vec::new();
    };
    let Some(prepared) = draft.ready().cloned() else {
        if let Preparation::Failed(why) = &draft.preparation
            && draft.prepared_version == draft.version
        {
            let why = why.clone();
            model.set_status(Level::Error, format!("Not sent: {why}"));
        } else {
            draft.send_when_ready = true;
            model.set_status(
                Level::Info,
                "Preparing the input images: the edit goes as soon as they are ready",
            );
        }
        return Vec::new();
    };
    let sources = draft
        .sources
        .iter()
        .zip(&prepared.images)
        .map(|(path, fitted)| SourceRef {
            path: path.display().to_string(),
            format: fitted.original_format.clone(),
            width: fitted.original.0,
            height: fitted.original.1,
        })
        .collect();
    let fit = draft.fit;
    let inputs = SentInputs {
        images: prepared.images.iter().map(|f| f.image.clone()).collect(),
        mask: prepared.mask.as_ref().map(|m| m.sent.clone()),
        markup: prepared.markup.as_ref().map(|m| m.sent.clone()),
        markup_png: prepared.markup.as_ref().map(|m| m.painted.clone()),
        sources,
        mask_png: prepared.mask.as_ref().map(|m| m.painted.clone()),
        fit: Some(fit),
    };
    let request = ImageRequest {
        endpoint,
        params,
        images: inputs.images.clone(),
        mask: inputs.mask.clone(),
        markup: inputs.markup.clone(),
    };
    let effects = super::jobs::submit(model, request, Some(Arc::new(inputs)));
    if !effects.is_empty() {
        model.overlay = None;
        if model.status.is_none() {
            model.set_status(
                Level::Info,
                "Edit sent. The edit stays open: change the prompt and Ctrl+G again, or D in F3 discards it",
            );
        }
    }
    effects
}
