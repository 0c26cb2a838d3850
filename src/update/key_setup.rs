//! The key setup overlay: check, save, use for the session, forget.

use crate::action::{KeyReport, KeyResult};
use crate::api::ApiKey;
use crate::effect::{Effect, KeyCandidate};
use crate::keymap::Command;
use crate::model::key_setup::{ActiveKey, KeyCheck, KeyField};
use crate::model::{Level, Model, Overlay};

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let setup = &mut model.key_setup;
    match command {
        Command::NextField => setup.move_focus(1),
        Command::PrevField => setup.move_focus(-1),
        Command::CheckKey => {
            let candidate = candidate(model);
            model.key_setup.check = KeyCheck::Checking;
            return vec![Effect::CheckKey(candidate)];
        }
        Command::SaveKey => return apply(model, true),
        Command::UseForSession => return apply(model, false),
        Command::ForgetSavedKey => return vec![Effect::ForgetSavedKey],
        _ => {}
    }
    Vec::new()
}

fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn candidate(model: &Model) -> KeyCandidate {
    let setup = &model.key_setup;
    KeyCandidate {
        key: ApiKey::new(&setup.value(KeyField::Key)),
        base_url: setup.value(KeyField::BaseUrl),
        organization: optional(setup.value(KeyField::Organization)),
        project: optional(setup.value(KeyField::Project)),
    }
}

fn apply(model: &mut Model, persist: bool) -> Vec<Effect> {
    let candidate = candidate(model);
    if candidate.key.is_none() && !model.has_key() {
        model.set_status(Level::Warning, "Type or paste a key first");
        return Vec::new();
    }
    model.key_setup.clear_key_field();
    vec![Effect::ApplyKey { candidate, persist }]
}

/// Results of checking, applying and forgetting the key.
pub fn on_result(model: &mut Model, result: KeyResult) -> Vec<Effect> {
    match result {
        KeyResult::Checked(result) => checked(model, result),
        KeyResult::Applied {
            masked,
            source,
            note,
            server,
            is_openai,
        } => {
            // Everything that names the server follows at once: the
            // model checks, the next sidecars, the status line.
            model.session.server = server;
            model.session.is_openai = is_openai;
            applied(model, masked, source, note)
        }
        KeyResult::Forgotten { note } => forgotten(model, note),
        KeyResult::ModelsListed(names) => {
            model.remote_models = names;
            Vec::new()
        }
    }
}

fn checked(model: &mut Model, result: Result<KeyReport, String>) -> Vec<Effect> {
    model.key_setup.check = match result {
        Ok(report) => {
            model.remote_models = report.image_models.clone();
            KeyCheck::Works {
                image_models: report.image_models.len(),
            }
        }
        Err(why) => KeyCheck::Failed(why),
    };
    Vec::new()
}

fn applied(model: &mut Model, masked: String, source: String, note: String) -> Vec<Effect> {
    model.key_setup.active = Some(ActiveKey { masked, source });
    model.key_setup.note = Some(note.clone());
    if model.overlay == Some(Overlay::KeySetup) {
        model.overlay = None;
    }
    model.set_status(Level::Info, note);
    vec![Effect::ListModels]
}

fn forgotten(model: &mut Model, note: String) -> Vec<Effect> {
    model.key_setup.note = Some(note.clone());
    model.set_status(Level::Info, note);
    Vec::new()
}
