//! The Batches view (`b` in the gallery): the batches submitted to the
//! Batch API, listed by the runner now and on a slow timer while the view
//! is open; `f` saves a finished one's images into the gallery, `x` twice
//! cancels one. Also what a `B` submit reported.

use crate::action::{BatchesResult, FetchReport, Submitted};
use crate::effect::Effect;
use crate::keymap::{Command, Context};
use crate::model::costs::estimate_text;
use crate::model::{Level, Model, Overlay};

pub fn open(model: &mut Model) {
    model.overlay = Some(Overlay::Batches);
    model.batches.cancel_armed = None;
}

/// The view's key for `command`, as the keymap has it.
fn key(model: &Model, command: Command) -> String {
    model.keymap.key(Context::Batches, command)
}

fn visible(model: &Model) -> bool {
    matches!(model.overlay, Some(Overlay::Batches))
}

/// The timer runs while the view is open, whatever opened or closed it.
pub fn follow(model: &mut Model, was_visible: bool) -> Vec<Effect> {
    let now = visible(model);
    if now == was_visible {
        return Vec::new();
    }
    model.batches.asking = now;
    vec![Effect::WatchBatches(now)]
}

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let view = &mut model.batches;
    let armed = view.cancel_armed.take();
    let last = view.rows.len().saturating_sub(1);
    match command {
        Command::Up => view.selected = view.selected.saturating_sub(1),
        Command::Down => view.selected = (view.selected + 1).min(last),
        Command::Top => view.selected = 0,
        Command::Bottom => view.selected = last,
        Command::Reload => {
            view.asking = true;
            // Restarting the timer lists at once.
            return vec![Effect::WatchBatches(true)];
        }
        Command::FetchBatch => return fetch(model),
        Command::Cancel => return cancel(model, armed),
        Command::RetryBatch => return retry(model),
        _ => {}
    }
    Vec::new()
}

fn fetch(model: &mut Model) -> Vec<Effect> {
    let Some(row) = model.batches.selected_row().cloned() else {
        return Vec::new();
    };
    if let Some((saved, failed)) = row.fetched {
        let retry = match failed {
            0 => String::new(),
            _ => format!(" ({} sends them again)", key(model, Command::RetryBatch)),
        };
        model.set_status(
            Level::Info,
            format!(
                "{} was fetched: {saved} line(s) saved, {failed} made no image{retry}",
                row.name
            ),
        );
        return Vec::new();
    }
    if model.batches.busy.contains(&row.id) {
        return Vec::new();
    }
    model.batches.busy.push(row.id.clone());
    // Asked even when the last listing said running: it may be over now.
    model.set_status(Level::Info, format!("Fetching {}…", row.name));
    vec![Effect::FetchBatch(row.id)]
}

fn cancel(model: &mut Model, armed: Option<String>) -> Vec<Effect> {
    let Some(row) = model.batches.selected_row().cloned() else {
        return Vec::new();
    };
    if !row.running() {
        model.set_status(
            Level::Info,
            format!("{} is over: nothing to cancel", row.name),
        );
        return Vec::new();
    }
    if armed.as_deref() != Some(row.id.as_str()) {
        model.batches.cancel_armed = Some(row.id.clone());
        model.set_status(
            Level::Warning,
            format!(
                "Press {} again to cancel {}: what it made so far can still be fetched",
                key(model, Command::Cancel),
                row.name
            ),
        );
        return Vec::new();
    }
    model.batches.busy.push(row.id.clone());
    model.set_status(Level::Info, format!("Cancelling {}…", row.name));
    vec![Effect::CancelBatch(row.id)]
}

fn retry(model: &mut Model) -> Vec<Effect> {
    let Some(row) = model.batches.selected_row().cloned() else {
        return Vec::new();
    };
    let text = match row.fetched {
        None => format!(
            "{} is not fetched yet: {} fetches it first",
            row.name,
            key(model, Command::FetchBatch)
        ),
        Some((_, 0)) => format!(
            "Every line of {} made its image: nothing to send again",
            row.name
        ),
        Some(_) if model.batches.busy.contains(&row.id) => return Vec::new(),
        Some((_, failed)) => {
            model.batches.busy.push(row.id.clone());
            model.set_status(
                Level::Info,
                format!(
                    "Sending the {failed} line(s) of {} that made no image again…",
                    row.name
                ),
            );
            return vec![Effect::RetryBatch(row.id)];
        }
    };
    model.set_status(Level::Info, text);
    Vec::new()
}

pub fn result(model: &mut Model, result: BatchesResult) -> Vec<Effect> {
    match result {
        BatchesResult::Listed {
            rows,
            read_at,
            asked,
            problem,
        } => {
            let before: Vec<(String, bool)> = model
                .batches
                .rows
                .iter()
                .map(|r| (r.id.clone(), r.running()))
                .collect();
            let view = &mut model.batches;
            // The selection stays on the same batch when rows move.
            let selected = view.selected_row().map(|r| r.id.clone());
            view.rows = rows;
            view.selected = selected
                .and_then(|id| view.rows.iter().position(|r| r.id == id))
                .unwrap_or(0)
                .min(view.rows.len().saturating_sub(1));
            view.read_at = Some(read_at);
            view.asking = !asked;
            if asked {
                view.problem = problem;
            }
            // A batch seen running that is over now is said once.
            let ended = model
                .batches
                .rows
                .iter()
                .find(|r| r.ready() && before.iter().any(|(id, running)| *id == r.id && *running))
                .map(|r| {
                    (
                        r.name.clone(),
                        r.status.as_ref().map_or("", |s| s.name()).to_string(),
                    )
                });
            if let Some((name, status)) = ended {
                model.set_status(
                    Level::Info,
                    format!(
                        "{name} is {status}: {} saves its images into the gallery",
                        key(model, Command::FetchBatch)
                    ),
                );
            }
            Vec::new()
        }
        BatchesResult::Found { rows } => {
            let open = rows.iter().filter(|r| r.fetched.is_none()).count();
            if model.batches.rows.is_empty() {
                model.batches.rows = rows;
            }
            // Said only on a quiet start: a key to set or a job left over comes first.
            if open > 0 && model.status.is_none() {
                model.set_status(
                    Level::Info,
                    format!(
                        "{open} batch(es) on the Batch API not fetched yet: {} in the gallery shows them",
                        model.keymap.key(Context::Gallery, Command::Batches)
                    ),
                );
            }
            Vec::new()
        }
        BatchesResult::Submitted { shown, result } => {
            submitted(model, &shown, result);
            Vec::new()
        }
        BatchesResult::Fetched { id, result } => {
            model.batches.busy.retain(|b| *b != id);
            fetched(model, &id, result)
        }
        BatchesResult::Cancelled { id, result } => {
            model.batches.busy.retain(|b| *b != id);
            let name = name_of(model, &id);
            match result {
                Ok(()) => model.set_status(
                    Level::Info,
                    format!(
                        "Cancelling {name}: what it made before it stopped can be fetched ({})",
                        key(model, Command::FetchBatch)
                    ),
                ),
                Err(why) => model.set_status(Level::Error, format!("Cancel {name}: {why}")),
            }
            Vec::new()
        }
        BatchesResult::Retried { id, result } => {
            model.batches.busy.retain(|b| *b != id);
            let name = name_of(model, &id);
            match result {
                Ok(Some((again, requests))) => model.set_status(
                    Level::Info,
                    format!("Sent {requests} line(s) of {name} again as {again}"),
                ),
                Ok(None) => model.set_status(
                    Level::Info,
                    format!("Every line of {name} has its image, or waits in another batch"),
                ),
                Err(why) => model.set_status(Level::Error, format!("Retry {name}: {why}")),
            }
            Vec::new()
        }
    }
}

fn name_of(model: &Model, id: &str) -> String {
    model
        .batches
        .rows
        .iter()
        .find(|r| r.id == id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
}

fn submitted(model: &mut Model, shown: &str, result: Result<Submitted, String>) {
    let s = match result {
        Ok(s) => s,
        Err(why) => {
            model.set_status(Level::Error, format!("Batch API: {why}"));
            return;
        }
    };
    if let Some((number, why)) = s.invalid.first() {
        model.set_status(
            Level::Warning,
            format!(
                "Batch API: nothing was uploaded: {} line(s) of {shown} cannot go (line {number}: {why}); `artty batch {shown} --batch-api` lists them all",
                s.invalid.len()
            ),
        );
        return;
    }
    if s.batches == 0 {
        model.set_status(
            Level::Info,
            format!(
                "Batch API: nothing left to send in {shown}: {} line(s) already done or waiting",
                s.skipped
            ),
        );
        return;
    }
    let price = s.estimate.map_or_else(
        || "price unknown".to_string(),
        |e| format!("about {}", estimate_text(&e)),
    );
    let key = model
        .keymap
        .key(crate::keymap::Context::Gallery, Command::Batches);
    model.set_status(
        Level::Info,
        format!(
            "Submitted {} request(s) in {} batch(es) to the Batch API, {price}; {key} in the gallery shows their progress",
            s.requests, s.batches
        ),
    );
}

fn fetched(model: &mut Model, id: &str, result: Result<FetchReport, String>) -> Vec<Effect> {
    let name = name_of(model, id);
    let report = match result {
        Ok(report) => report,
        Err(why) => {
            model.set_status(Level::Error, format!("Fetch {name}: {why}"));
            return Vec::new();
        }
    };
    if let Some(status) = &report.running {
        model.set_status(
            Level::Info,
            format!(
                "{name} is still {status}: {} fetches it once it is over",
                key(model, Command::FetchBatch)
            ),
        );
        return Vec::new();
    }
    let mut text = format!(
        "{name}: {} line(s) saved ({} image(s) now), {} made no image",
        report.lines_saved, report.images_saved, report.lines_failed
    );
    if report.lines_failed > 0 {
        text.push_str(&format!(
            " ({} sends them again)",
            key(model, Command::RetryBatch)
        ));
    }
    if let Some(first) = report.warnings.first() {
        text.push_str(&format!("; {first}"));
    }
    let level = match report.lines_failed > 0 || !report.warnings.is_empty() {
        true => Level::Warning,
        false => Level::Info,
    };
    model.set_status(level, text);
    match report.images_saved {
        0 => Vec::new(),
        // The new images join the gallery, grouped by their batch file.
        _ => vec![Effect::LoadGallery],
    }
}
