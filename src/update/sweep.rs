//! Sweeps: `w` in the parameters panel adds the value shown to the sweep,
//! `W` clears it, and Generate sends one request per cell, grouped so the
//! results open together in compare.

use crate::api::ImageRequest;
use crate::effect::Effect;
use crate::model::costs::pending_cost_text;
use crate::model::sweep::Sweep;
use crate::model::{Level, Model};
use crate::store::sidecar::{Group, GroupKind};

/// `w`: the value on the selected row joins the sweep (or leaves it).
pub fn toggle_value(model: &mut Model) {
    let catalog = model.session.catalog.clone();
    let field = model.params.current(&catalog);
    let Some(value) = model.params.value(field) else {
        model.set_status(
            Level::Warning,
            "Choose a value first: the server's default cannot be swept",
        );
        return;
    };
    let mut sweep = model.sweep.take().unwrap_or_default();
    let result = sweep.toggle(field, value.clone());
    let label = sweep.label();
    model.sweep = (!sweep.is_empty()).then_some(sweep);
    match result {
        Ok(added) => {
            let verb = if added { "added to" } else { "taken from" };
            let cost = format!(" · {}", pending_cost_text(model));
            let tail = if model.sweep.is_some() {
                format!(": {label}{cost}")
            } else {
                " (now empty)".into()
            };
            model.set_status(Level::Info, format!("{value} {verb} the sweep{tail}"));
        }
        Err(why) => model.set_status(Level::Warning, why),
    }
}

pub fn clear(model: &mut Model) {
    if model.sweep.take().is_some() {
        model.set_status(Level::Info, "Sweep cleared: Generate sends one request");
    }
}

/// Generate with a sweep: every cell the model table allows is sent, in
/// one group; cells it does not are named and skipped.
pub fn send(model: &mut Model) -> Vec<Effect> {
    let Some(params) = super::jobs::params_with_prompt(model) else {
        return Vec::new();
    };
    let sweep: Sweep = model.sweep.clone().unwrap_or_default();
    let prompt = params.prompt.unwrap_or_default();
    // Named after this run and its first job: unique, and the same in tests.
    let id = format!(
        "sweep-{}-{:04}",
        model.session.run_tag,
        model.jobs.peek_next().0
    );
    let mut effects = Vec::new();
    let mut sent = 0;
    let mut skipped = Vec::new();
    for cell in sweep.cells(&model.params, &prompt) {
        let group = Group {
            kind: GroupKind::Sweep,
            id: id.clone(),
            item: Some(cell.label.clone()),
        };
        // Nothing comes back for a request the model table refused.
        let mut more = super::jobs::submit_in(
            model,
            ImageRequest::generate(cell.params),
            None,
            Some(group),
        );
        if more.is_empty() {
            skipped.push(cell.label);
        } else {
            sent += 1;
            effects.append(&mut more);
        }
    }
    let mut text = format!("Sweep of {sent} sent: c on a result compares them");
    if !skipped.is_empty() {
        text.push_str(&format!(
            "; skipped (not valid for the model): {}",
            skipped.join(", ")
        ));
    }
    let level = if skipped.is_empty() {
        Level::Info
    } else {
        Level::Warning
    };
    model.set_status(level, text);
    effects
}
