//! An edit's inputs on their way out: asking the runner to prepare them
//! whenever they change (its other half is `effect/edit_inputs.rs`),
//! taking the prepared result, and sending the request.

use std::sync::Arc;

use crate::api::{Endpoint, ImageParams, ImageRequest};
use crate::edit::prepare::permissive_rules;
use crate::effect::{EditInputs, Effect, MaskSpec};
use crate::keymap::{Command, Context};
use crate::model::edit::Preparation;
use crate::model::jobs::SentInputs;
use crate::model::{Level, Model, Overlay};
use crate::store::sidecar::SourceRef;

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
            // Said at once (a source that cannot be read, a mask that does
            // not fit), not only when Ctrl+G finds it.
            if send {
                model.set_status(Level::Error, format!("Not sent: {why}"));
            } else {
                model.set_status(Level::Error, format!("The edit cannot be sent: {why}"));
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
    let to = draft.model.clone();
    let mut params = if endpoint == Endpoint::Variations {
        variation_params(&model.params.values)
    } else {
        match super::jobs::params_with_prompt(model) {
            Some(params) => params,
            None => return Vec::new(),
        }
    };
    if let Some(to) = to {
        params.model = to;
    }
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
            let keys = &model.keymap;
            let text = format!(
                "Edit sent. The edit stays open: change the prompt and {} again, or {} in {} discards it",
                keys.global(Command::Generate),
                keys.key(Context::Edit, Command::Discard),
                keys.global(Command::EditPanel),
            );
            model.set_status(Level::Info, text);
        }
    }
    effects
}
