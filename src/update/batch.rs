//! `B` in the gallery: a batch file is read, then `B` asks how to run its
//! lines, with the price of each way: here (jobs like any other, grouped)
//! or on the Batch API (submitted by the runner). Lines already in the
//! gallery or waiting in a Batch API batch are not sent again either way.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::api::ImageRequest;
use crate::api::catalog::Endpoint;
use crate::api::cost::{here_and_batch, sum_of};
use crate::batch::{BatchFile, BatchLine, done_keys, parse, remaining};
use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::batches::{BatchChoice, BatchStep};
use crate::model::{Level, Model, Overlay};

pub fn read(
    model: &mut Model,
    path: PathBuf,
    id: String,
    result: Result<String, String>,
    waiting: HashSet<String>,
    step: BatchStep,
) -> Vec<Effect> {
    let text = match result {
        Ok(text) => text,
        Err(why) => {
            model.set_status(
                Level::Error,
                format!("Could not read {}: {why}", path.display()),
            );
            return Vec::new();
        }
    };
    let file = parse(id, &text, &defaults(model));
    let done = done_keys(&file.id, model.gallery.images.iter());
    let todo: Vec<BatchLine> = remaining(&file, &done)
        .into_iter()
        .filter(|l| !waiting.contains(&l.key))
        .collect();
    match step {
        BatchStep::Choose => choose(model, path, &file, todo),
        BatchStep::RunHere => run_here(model, &path, &file, todo),
    }
}

/// The parameters as they stand fill what a line leaves out.
fn defaults(model: &Model) -> crate::api::ImageParams {
    let mut defaults = model.params.values.clone();
    defaults.prompt = None;
    defaults
}

/// Asks how to run the lines left, with the price of each way.
fn choose(model: &mut Model, path: PathBuf, file: &BatchFile, todo: Vec<BatchLine>) -> Vec<Effect> {
    let shown = crate::util::inert::inert(&path.display().to_string(), 200);
    let skipped = file.lines.len() - todo.len();
    if todo.is_empty() {
        model.set_status(
            Level::Info,
            format!(
                "Batch: nothing to run in {shown}: {skipped} line(s) already done or waiting in a batch{}",
                bad_note(file)
            ),
        );
        return Vec::new();
    }
    let catalog = model.session.catalog.clone();
    let prices: Vec<_> = todo
        .iter()
        .map(|line| {
            let endpoint = match line.inputs.is_edit() {
                true => Endpoint::Edits,
                false => Endpoint::Generations,
            };
            here_and_batch(
                catalog.get(&line.params.model),
                &line.params,
                endpoint,
                line.inputs.images.len(),
                // What OpenAI would charge, shown even in the demo (which charges nothing).
                false,
            )
        })
        .collect();
    model.set_status(Level::Info, format!("Read {shown}: how should it run?"));
    model.overlay = Some(Overlay::BatchChoice(BatchChoice {
        path,
        shown,
        lines: todo.len(),
        edits: todo.iter().filter(|l| l.inputs.is_edit()).count(),
        skipped,
        bad: file.bad.len(),
        free: model.session.demo,
        here: sum_of(prices.iter().map(|p| p.0)),
        batch_api: sum_of(prices.iter().map(|p| p.1)),
    }));
    Vec::new()
}

fn bad_note(file: &BatchFile) -> String {
    match file.bad.first() {
        None => String::new(),
        Some(bad) => format!(
            "; {} line(s) not valid (line {}: {})",
            file.bad.len(),
            bad.number,
            bad.why
        ),
    }
}

/// The question's answer.
pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(Overlay::BatchChoice(choice)) = &model.overlay else {
        return Vec::new();
    };
    let path = choice.path.clone();
    let lines = choice.lines;
    match command {
        Command::RunHere => {
            model.overlay = None;
            model.set_status(Level::Info, "Reading the batch file…");
            vec![Effect::ReadBatch {
                path,
                step: BatchStep::RunHere,
            }]
        }
        Command::SubmitBatchApi => {
            model.overlay = None;
            model.set_status(
                Level::Info,
                format!("Checking {lines} line(s) and submitting them to the Batch API…"),
            );
            vec![Effect::SubmitBatch {
                path,
                defaults: Box::new(defaults(model)),
            }]
        }
        _ => Vec::new(),
    }
}

/// The lines become jobs, grouped by the batch file.
fn run_here(
    model: &mut Model,
    path: &std::path::Path,
    file: &BatchFile,
    todo: Vec<BatchLine>,
) -> Vec<Effect> {
    let skipped = file.lines.len() - todo.len();
    let mut effects = Vec::new();
    let mut refused = 0;
    let mut reasons: Vec<String> = file
        .bad
        .iter()
        .map(|bad| format!("line {}: {}", bad.number, bad.why))
        .collect();
    for line in todo {
        let number = line.number;
        if line.inputs.is_edit() {
            // Its pictures are read by `artty batch` and by the Batch API
            // submit; the app's jobs are made from parameters alone.
            refused += 1;
            reasons.push(format!(
                "line {number}: an edit line runs with `artty batch FILE` or on the Batch API"
            ));
            continue;
        }
        let group = line.group(&file.id);
        match super::jobs::try_submit(
            model,
            ImageRequest::generate(line.params),
            None,
            Some(group),
        ) {
            Ok(more) => effects.extend(more),
            Err(why) => {
                refused += 1;
                reasons.push(format!("line {number}: {why}"));
            }
        }
    }
    let sent = file.lines.len() - skipped - refused;
    let mut text = format!("Batch: {sent} sent, {skipped} already done or waiting in a batch");
    if refused + file.bad.len() > 0 {
        // The first reasons, whole; `artty batch FILE` lists every one.
        let shown: Vec<&str> = reasons.iter().take(3).map(String::as_str).collect();
        let more = reasons.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!("; {more} more: artty batch {} lists them", path.display())
        } else {
            String::new()
        };
        text.push_str(&format!(
            ", {} not valid: {}{more}",
            refused + file.bad.len(),
            shown.join("; ")
        ));
    }
    let level = if refused + file.bad.len() > 0 {
        Level::Warning
    } else {
        Level::Info
    };
    model.set_status(level, text);
    effects
}
