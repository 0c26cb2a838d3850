//! Starting requests and hearing back from them.

use crate::action::JobResult;
use std::sync::Arc;

use crate::api::{ImageParams, ImageRequest, Target, validate};
use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::jobs::{Job, JobFailure, JobId, JobState, SentInputs, Stage};
use crate::model::{Cause, Level, Model, Overlay, Panel};
use crate::store::app_state::AppState;
use crate::store::journal::{JournalEntry, journal_name};
use crate::store::sidecar::{Group, RequestRecord, SavedImage};

/// Generate with no edit or sweep open: the prompt and the parameters as
/// they stand.
pub fn generate(model: &mut Model) -> Vec<Effect> {
    let Some(mut params) = params_with_prompt(model) else {
        return Vec::new();
    };
    params.input_fidelity = None;
    submit(model, ImageRequest::generate(params), None)
}

/// The parameters with the prompt, or `None` (with the reason shown) when
/// the prompt is empty or a typed size is not valid.
pub fn params_with_prompt(model: &mut Model) -> Option<ImageParams> {
    if model.prompt.is_blank() {
        model.set_status(Level::Warning, "Write a prompt first");
        super::set_focus(model, Panel::Prompt);
        return None;
    }
    if let Some(input) = &model.params.size_input {
        let text = input.text.clone();
        if let Err(why) = model.params.accept_size() {
            model.set_status_while(
                Cause::Refused(Box::new(model.params.as_typed())),
                Level::Error,
                format!("Not sent: size {text}: {why}"),
            );
            return None;
        }
    }
    let mut params = model.params.values.clone();
    params.prompt = Some(model.prompt.content());
    Some(params)
}

/// Checks a request against the model table and, if it passes, starts it.
/// `inputs` are an edit's or variation's, kept with the job for a retry.
pub fn submit(
    model: &mut Model,
    request: ImageRequest,
    inputs: Option<Arc<SentInputs>>,
) -> Vec<Effect> {
    submit_in(model, request, inputs, None)
}

/// `submit`, for a request that is one of a sweep's or a batch's; a
/// refusal is said in the status line.
pub fn submit_in(
    model: &mut Model,
    request: ImageRequest,
    inputs: Option<Arc<SentInputs>>,
    group: Option<Group>,
) -> Vec<Effect> {
    match try_submit(model, request, inputs, group) {
        Ok(effects) => effects,
        Err(_) if !model.has_key() => {
            model.set_status(
                Level::Warning,
                "No API key yet: paste one here, or start with --demo",
            );
            Vec::new()
        }
        Err(why) => {
            model.set_status_while(
                Cause::Refused(Box::new(model.params.values.clone())),
                Level::Error,
                format!("Not sent: {why}"),
            );
            Vec::new()
        }
    }
}

/// Starts the job, or says why not (no key, or what the checks refuse)
/// for the caller to report: a batch lists each line's reason.
pub fn try_submit(
    model: &mut Model,
    request: ImageRequest,
    inputs: Option<Arc<SentInputs>>,
    group: Option<Group>,
) -> Result<Vec<Effect>, String> {
    if !model.has_key() {
        model.overlay = Some(Overlay::KeySetup);
        return Err("no API key".into());
    }
    let target = Target {
        today: model.session.today,
        is_openai: model.session.is_openai,
    };
    let (endpoint, params) = (request.endpoint, request.params.clone());
    let valid = match validate(request, &model.session.catalog, &target) {
        Ok(valid) => valid,
        Err(err) => {
            let why: Vec<String> = err.violations.iter().map(|v| v.to_string()).collect();
            return Err(why.join("; "));
        }
    };
    match valid.warnings.first() {
        Some(warning) => model.set_status(Level::Warning, warning.clone()),
        None => model.status = None,
    }
    let id = model.jobs.next_id();
    let journal = journal_name(&model.session.run_tag, id.0);
    model.jobs.add(Job {
        id,
        endpoint,
        params: params.clone(),
        started: model.now,
        journal: journal.clone(),
        state: JobState::Running(Stage::Queued),
        partial: None,
        inputs: inputs.clone(),
    });
    model.gallery.selected = 0;
    if let Some(prompt) = &params.prompt {
        model.prompt.remember(prompt);
    }
    model.params.remember();
    let inputs = inputs.as_deref();
    let prices = model
        .session
        .catalog
        .prices(&params.model, model.session.demo);
    let record = RequestRecord {
        endpoint,
        reused_from: model.reused_from.as_ref().map(|p| p.display().to_string()),
        group,
        prices,
        params,
        server: model.session.server.clone(),
        sources: inputs.map(|i| i.sources.clone()).unwrap_or_default(),
        mask: None,
        mask_png: inputs.and_then(|i| i.mask_png.clone()),
        markup: None,
        markup_png: inputs.and_then(|i| i.markup_png.clone()),
        fit: inputs.and_then(|i| i.fit),
        batch_api: None,
    };
    Ok(vec![
        Effect::StartJob {
            id,
            journal,
            request: Box::new(valid),
            record: Box::new(record),
        },
        Effect::SaveState(Box::new(app_state(model))),
    ])
}

/// What is remembered between sessions.
pub fn app_state(model: &Model) -> AppState {
    AppState {
        history: model.prompt.history().to_vec(),
        last_model: Some(model.params.model().to_string()),
        params: model.params.remembered().clone(),
        draft: model.prompt.content(),
    }
}

/// Results of running jobs, and jobs found in the journal.
pub fn on_result(model: &mut Model, result: JobResult) -> Vec<Effect> {
    match result {
        JobResult::StageChanged { id, stage } => model.jobs.set_stage(id, stage),
        JobResult::Saved {
            id,
            images,
            warning,
        } => saved(model, id, images, warning),
        JobResult::Failed { id, failure } => failed(model, id, failure),
        JobResult::Cancelled { id } => cancelled(model, id),
        JobResult::PartialImage { id, image } => {
            if let Some(job) = model.jobs.get_mut(id).filter(|j| j.is_running()) {
                job.partial = Some(image);
            }
        }
        JobResult::Interrupted(entries) => interrupted(model, entries),
    }
    Vec::new()
}

/// A result for a job already gone (dismissed) says nothing.
fn cancelled(model: &mut Model, id: JobId) {
    if model.jobs.remove(id).is_some() {
        model.set_status(Level::Info, "Job cancelled");
        model.gallery.clamp(&model.jobs);
    }
}

/// The job shows why; images kept from a failed save say how to save them.
fn failed(model: &mut Model, id: JobId, mut failure: JobFailure) {
    let retry = model.keymap.gallery_key(Command::Reuse);
    let set_key = model.keymap.global(Command::KeySetup);
    let Some(job) = model.jobs.get_mut(id).filter(|j| j.is_running()) else {
        return;
    };
    if failure.kind == "invalid_key" && model.key_setup.key_from_env() {
        failure.headline = crate::api::error::ENV_KEY_REFUSED.to_string();
    }
    if matches!(failure.kind, "no_key" | "invalid_key") {
        failure
            .headline
            .push_str(&format!(" In the app: {set_key} sets the key."));
    }
    let mut text = failure.headline.clone();
    if failure.kept.is_some() {
        text.push_str(&format!(
            " The images are kept in memory: fix that, then {retry} on the job saves them (quitting puts them in the temp folder)."
        ));
    }
    job.state = JobState::Failed(failure);
    model.set_status(Level::Error, text);
}

/// Images are on disk: the job becomes gallery entries, keeping the
/// selection on the same row.
fn saved(model: &mut Model, id: JobId, images: Vec<SavedImage>, warning: Option<String>) {
    if model.jobs.remove(id).is_none() {
        return;
    }
    let count = images.len();
    let path = images.first().map(|i| i.path.display().to_string());
    model.gallery.add_images(images);
    model.gallery.clamp(&model.jobs);
    if let Some(path) = path {
        let more = if count > 1 {
            format!(" and {} more", count - 1)
        } else {
            String::new()
        };
        match warning {
            Some(warning) => {
                model.set_status(Level::Warning, format!("Saved {path}{more}. {warning}"))
            }
            None => model.set_status(Level::Info, format!("Saved {path}{more}")),
        }
    }
}

/// Requests a stopped artty left in flight.
fn interrupted(model: &mut Model, entries: Vec<JournalEntry>) {
    let count = entries.len();
    for entry in entries {
        let id = model.jobs.next_id();
        model.jobs.add(Job {
            id,
            endpoint: entry.endpoint,
            params: entry.params,
            started: model.now,
            journal: entry.name,
            state: JobState::Interrupted {
                started: entry.started.strftime("%Y-%m-%d %H:%M").to_string(),
                sent: entry.sent,
                stopped_by: entry.stopped_by,
            },
            partial: None,
            inputs: None,
        });
    }
    if count > 0 {
        model.set_status(
            Level::Warning,
            format!(
                "{count} request(s) were interrupted when artty last stopped: {} retries, {} dismisses",
                model.keymap.gallery_key(Command::Reuse),
                model.keymap.gallery_key(Command::Delete),
            ),
        );
    }
}
