//! The parameters panel and the model picker.

use crossterm::event::{KeyCode, KeyEvent};

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::params::Field;
use crate::model::picker::{Picker, entries};
use crate::model::{Level, Model, Overlay};

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let catalog = model.session.catalog.clone();
    let params = &mut model.params;
    match command {
        Command::Up => params.move_row(&catalog, -1),
        Command::Down => params.move_row(&catalog, 1),
        Command::PrevValue => step_value(model, -1),
        Command::NextValue => step_value(model, 1),
        Command::Choose => choose(model),
        Command::Reset => reset(model),
        Command::SweepValue => super::sweep::toggle_value(model),
        Command::ClearSweep => super::sweep::clear(model),
        _ => {}
    }
    Vec::new()
}

/// Checks the parameters again after any action, so what the model table
/// refuses is marked on its row at once.
pub fn follow(model: &mut Model) {
    let target = crate::api::Target {
        today: model.session.today,
        is_openai: model.session.is_openai,
    };
    let catalog = &model.session.catalog;
    model.params.recheck(catalog, &target);
    let size_ok = model
        .params
        .size_input
        .as_ref()
        .is_none_or(|i| i.check.is_ok());
    // A refusal lasts until the values it was about have changed into
    // ones the checks pass.
    let passes = model.params.problems.is_empty() && size_ok;
    let params = &model.params;
    let gone = |cause: &crate::model::Cause| matches!(cause, crate::model::Cause::Refused(refused) if passes && **refused != params.as_typed());
    if model
        .status
        .as_ref()
        .and_then(|s| s.cause.as_ref())
        .is_some_and(gone)
    {
        model.status = None;
    }
}

/// Left/right: on the model row, through the model table; elsewhere,
/// through the field's values.
fn step_value(model: &mut Model, step: isize) {
    let catalog = model.session.catalog.clone();
    if model.params.current(&catalog) != Field::Model {
        return model.params.cycle(&catalog, step);
    }
    let names: Vec<&str> = catalog.models().iter().map(|m| m.name.as_str()).collect();
    let at = names.iter().position(|n| *n == model.params.model());
    let next = match at {
        Some(at) => (at as isize + step).rem_euclid(names.len() as isize) as usize,
        None => 0,
    };
    switch_model(model, names[next].to_string());
}

fn choose(model: &mut Model) {
    let catalog = model.session.catalog.clone();
    match model.params.current(&catalog) {
        Field::Model => model.overlay = Some(Overlay::Picker(Picker::default())),
        Field::Size if model.params.start_size_input(&catalog) => {}
        _ => model.params.cycle(&catalog, 1),
    }
}

fn reset(model: &mut Model) {
    let catalog = model.session.catalog.clone();
    match model.params.current(&catalog) {
        Field::Model => {
            if let Some(default) = catalog.default_model() {
                switch_model(model, default.name.clone());
            }
        }
        field => model.params.set(field, None),
    }
}

/// Changes model, saying what the model table knows about it.
fn switch_model(model: &mut Model, name: String) {
    model.params.set_model(&name);
    let spec = model.session.catalog.get(&name).cloned();
    let (level, text) = match spec.map(|s| s.lifecycle(model.session.today)) {
        Some(crate::api::Lifecycle::ShutDown { since }) => (
            Level::Warning,
            format!("{name} was shut down on OpenAI on {since}: it works only with other servers"),
        ),
        Some(crate::api::Lifecycle::Deprecated { shutdown }) => {
            (Level::Warning, format!("{name} shuts down on {shutdown}"))
        }
        Some(_) => (Level::Info, format!("Model: {name}")),
        None => (
            Level::Info,
            format!("Model: {name} (not in the model table: only light checks)"),
        ),
    };
    model.set_status(level, text);
}

pub fn run_picker(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(Overlay::Picker(picker)) = &mut model.overlay else {
        return Vec::new();
    };
    let found = entries(
        &model.session.catalog,
        &model.remote_models,
        &picker.filter,
        model.session.today,
    );
    match command {
        Command::Up => picker.selected = picker.selected.saturating_sub(1),
        Command::Down => picker.selected = (picker.selected + 1).min(found.len().saturating_sub(1)),
        Command::Choose => {
            let typed = picker.filter.trim().to_string();
            let name = found
                .get(picker.selected)
                .map(|e| e.name.clone())
                .unwrap_or(typed);
            model.overlay = None;
            if !name.is_empty() {
                switch_model(model, name);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Typing in the picker filters it; Backspace takes a character back.
pub fn type_in_picker(model: &mut Model, key: KeyEvent) {
    let Some(Overlay::Picker(picker)) = &mut model.overlay else {
        return;
    };
    if picker
        .filter
        .input(key, ' ', crate::model::line_edit::any_char)
    {
        picker.selected = 0;
    }
}

/// Keys while a custom size is typed: text, Backspace, Enter to take it.
pub fn type_size(model: &mut Model, key: KeyEvent) {
    let catalog = model.session.catalog.clone();
    match key.code {
        KeyCode::Enter => match model.params.accept_size() {
            Ok(()) => model.set_status(Level::Info, "Custom size set"),
            Err(why) => model.set_status(Level::Error, format!("Size not taken: {why}")),
        },
        _ => model.params.retype_size(&catalog, |t| {
            t.input(key, 'x', |c| {
                c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
            });
        }),
    }
}
