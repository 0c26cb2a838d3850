//! Starting requests and hearing back from them.

use crate::action::Action;
use crate::api::{Endpoint, ImageParams, ImageRequest, Target, validate};
use crate::effect::{Effect, journal_name};
use crate::model::jobs::{Job, JobId, JobState, Stage};
use crate::model::{Level, Model, Overlay, Panel};
use crate::store::app_state::AppState;
use crate::store::gallery::{RequestRecord, SavedImage};
use crate::store::journal::JournalEntry;

/// Ctrl+G: the prompt and the parameters as they stand.
pub fn generate(model: &mut Model) -> Vec<Effect> {
    if model.prompt.is_blank() {
        model.set_status(Level::Warning, "Write a prompt first");
        super::set_focus(model, Panel::Prompt);
        return Vec::new();
    }
    if let Some(input) = &model.params.size_input {
        let text = input.text.clone();
        if let Err(why) = model.params.accept_size() {
            model.set_status(Level::Error, format!("Not sent: size {text}: {why}"));
            return Vec::new();
        }
    }
    let mut params = model.params.values.clone();
    params.prompt = Some(model.prompt.content());
    submit(model, Endpoint::Generations, params)
}

/// Checks a request against the model table and, if it passes, starts it.
pub fn submit(model: &mut Model, endpoint: Endpoint, params: ImageParams) -> Vec<Effect> {
    if !model.has_key() {
        model.overlay = Some(Overlay::KeySetup);
        model.set_status(
            Level::Warning,
            "No API key yet: paste one here, or start with --demo",
        );
        return Vec::new();
    }
    let target = Target {
        today: model.session.today,
        is_openai: model.session.is_openai,
    };
    let request = ImageRequest::generate(params.clone());
    let valid = match validate(request, &model.session.catalog, &target) {
        Ok(valid) => valid,
        Err(err) => {
            let why: Vec<String> = err.violations.iter().map(|v| v.to_string()).collect();
            model.set_status(Level::Error, format!("Not sent: {}", why.join("; ")));
            return Vec::new();
        }
    };
    match valid.warnings.first() {
        Some(warning) => model.set_status(Level::Warning, warning.clone()),
        None => model.status = None,
    }
    let id = model.jobs.next_id();
    let journal = journal_name(&model.session.run_tag, id);
    model.jobs.add(Job {
        id,
        endpoint,
        params: params.clone(),
        started: model.now,
        journal: journal.clone(),
        state: JobState::Running(Stage::Queued),
        partial: None,
    });
    model.gallery.selected = 0;
    if let Some(prompt) = &params.prompt {
        model.prompt.remember(prompt);
    }
    model.params.remember();
    let record = RequestRecord {
        endpoint,
        params,
        server: model.session.server.clone(),
        sources: Vec::new(),
        mask: None,
    };
    vec![
        Effect::StartJob {
            id,
            journal,
            request: Box::new(valid),
            record: Box::new(record),
        },
        Effect::SaveState(Box::new(app_state(model))),
    ]
}

/// What is remembered between sessions.
pub fn app_state(model: &Model) -> AppState {
    AppState {
        history: model.prompt.history().to_vec(),
        last_model: Some(model.params.model().to_string()),
        params: model.params.remembered().clone(),
    }
}

/// Results of running jobs, and jobs found in the journal.
pub fn on_result(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::JobStageChanged { id, stage } => model.jobs.set_stage(id, stage),
        Action::JobSaved { id, images } => saved(model, id, images),
        Action::JobFailed { id, failure } => {
            if let Some(job) = model.jobs.get_mut(id).filter(|j| j.is_running()) {
                model.status = Some(crate::model::Status {
                    level: Level::Error,
                    text: failure.headline.clone(),
                });
                job.state = JobState::Failed(failure);
            }
        }
        Action::JobCancelled { id } if model.jobs.remove(id).is_some() => {
            model.set_status(Level::Info, "Job cancelled");
            model.gallery.clamp(&model.jobs);
        }
        Action::JournalLoaded(entries) => interrupted(model, entries),
        _ => {}
    }
    Vec::new()
}

/// Images are on disk: the job becomes gallery entries, keeping the
/// selection on the same row.
fn saved(model: &mut Model, id: JobId, images: Vec<SavedImage>) {
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
        model.set_status(Level::Info, format!("Saved {path}{more}"));
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
        });
    }
    if count > 0 {
        model.set_status(
            Level::Warning,
            format!("{count} request(s) were interrupted when artty last stopped: r retries, d dismisses"),
        );
    }
}
