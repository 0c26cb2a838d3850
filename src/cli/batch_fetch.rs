//! `artty batches fetch [ID]`: a finished batch's output file streamed to
//! disk (a `.part` file until whole), then read a line at a time, each
//! answer decoded and checked like a direct one and saved into the
//! gallery with its sidecar at Batch API prices. A line whose image is
//! already in the gallery is skipped, so a fetch run twice, or killed
//! halfway and run again, saves every image exactly once. Memory holds
//! one line at a time, however large the file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::batch_cmd::gallery_images;
use super::batch_send::{client, find, journal, own, reconcile, refresh};
use super::output::Output;
use crate::api::ImagesClient;
use crate::api::batch_wire::{BatchObject, BatchStatus, LineResult, read_output_line};
use crate::api::untrusted::Boundary;
use crate::batch::{done_keys, line_group};
use crate::config::context::Context;
use crate::config::failure::{Exit, Failure};
use crate::store::batch_journal::{BatchJournal, FailedLine, Fetched, PartFile, Submission};
use crate::store::jsonl::{JsonlReader, Line};
use crate::store::sidecar::{BatchApiRef, RequestRecord};

/// An output file may be hundreds of gigabytes (50,000 large images); past
/// this it is refused rather than left to fill the disk.
const MAX_BATCH_FILE: u64 = 1 << 40;
/// Room for the line around an answer's body.
const LINE_OVERHEAD: u64 = 64 * 1024;

pub async fn fetch(ctx: &Context, out: &Output, name: Option<&str>) -> Result<(), Failure> {
    let journal = journal(ctx)?;
    let mut targets: Vec<Submission> = match name {
        Some(name) => vec![find(ctx, &journal, name)?],
        None => own(ctx, &journal)
            .into_iter()
            .filter(|s| s.open())
            .collect(),
    };
    if targets.is_empty() {
        eprintln!("artty: no batch is waiting to be fetched (`artty batches list` shows them all)");
        return Ok(());
    }
    let client = client(ctx)?;
    reconcile(&client, &journal, &mut targets).await?;
    let (mut unfinished, mut failed_lines, mut failures) = (0, 0, Vec::new());
    let mut with_failures: Vec<String> = Vec::new();
    for submission in targets.iter_mut().filter(|s| !s.abandoned) {
        if let Some(fetched) = &submission.fetched {
            eprintln!(
                "artty: {} was fetched already: {} line(s) saved, {} made no image",
                submission.name(),
                fetched.saved,
                fetched.failed.len()
            );
            continue;
        }
        let batch = match refresh(&client, &journal, submission).await {
            Ok(batch) => batch,
            Err(failure) => {
                failures.push(failure);
                continue;
            }
        };
        if !batch.status.is_final() {
            unfinished += 1;
            say_waiting(out, submission, &batch);
            continue;
        }
        // The batch file's own lock: no run, submit, retry or other fetch of
        // its lines saves or sends while this one decides what is done.
        let _lock =
            match crate::store::batch_lock::BatchLock::take(&ctx.dirs.locks(), &submission.batch) {
                Ok(lock) => lock,
                Err(why) => {
                    failures.push(Failure::local(why));
                    continue;
                }
            };
        // What is done is read under the lock: another fetch may have
        // finished while this one asked the server.
        if let Some(now) = journal.find(&submission.id) {
            *submission = now;
        }
        if submission.fetched.is_some() {
            say_fetched(out, submission);
            continue;
        }
        let images = gallery_images(ctx).await?;
        let done = done_keys(&submission.batch, images.iter());
        match read_batch(ctx, out, &client, &journal, submission, &batch, done).await {
            Ok(()) => {
                let failed = submission.fetched.as_ref().map_or(0, |f| f.failed.len());
                if failed > 0 {
                    with_failures.push(submission.name().to_string());
                }
                failed_lines += failed;
                say_fetched(out, submission);
            }
            Err(failure) => failures.push(failure),
        }
    }
    // Each failure is printed once: the last as the command's own.
    if let Some(last) = failures.pop() {
        for earlier in &failures {
            out.failure(earlier);
        }
        return Err(last);
    }
    if failed_lines > 0 {
        return Err(Failure {
            exit: Exit::Api,
            message: format!(
                "{failed_lines} line(s) made no image: {} sends them again",
                with_failures
                    .iter()
                    .map(|id| format!("`artty batches retry {id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            api: None,
        });
    }
    if unfinished > 0 && !out.json {
        eprintln!("artty: {unfinished} batch(es) still running: fetch again later");
    }
    Ok(())
}

fn say_waiting(out: &Output, submission: &Submission, batch: &BatchObject) {
    let counts = batch.request_counts;
    if out.json {
        super::output::print_json(&json!({
            "batch_id": batch.id, "status": batch.status.name(),
            "completed": counts.completed, "failed": counts.failed, "total": counts.total,
        }));
    } else {
        eprintln!(
            "artty: {} is {}: {}/{} done, {} failed",
            submission.name(),
            batch.status.name(),
            counts.completed,
            counts.total,
            counts.failed
        );
    }
}

fn say_fetched(out: &Output, submission: &Submission) {
    let Some(fetched) = &submission.fetched else {
        return;
    };
    if out.json {
        super::output::print_json(&json!({
            "batch_id": submission.api_batch_id, "status": "fetched", "saved": fetched.saved,
            "failed": fetched.failed.iter().map(|l| json!({ "line": l.number, "custom_id": l.custom_id, "reason": l.reason })).collect::<Vec<_>>(),
        }));
        return;
    }
    for line in &fetched.failed {
        eprintln!(
            "artty: {} line {}: no image: {}",
            submission.source, line.number, line.reason
        );
    }
    eprintln!(
        "artty: {}: {} line(s) saved, {} made no image",
        submission.name(),
        fetched.saved,
        fetched.failed.len()
    );
}

/// Saves a finished batch's images and journals what it gave.
async fn read_batch(
    ctx: &Context,
    out: &Output,
    client: &ImagesClient,
    journal: &BatchJournal,
    submission: &mut Submission,
    batch: &BatchObject,
    mut done: HashSet<String>,
) -> Result<(), Failure> {
    let mut failed: Vec<FailedLine> = Vec::new();
    let mut failed_ids: HashSet<String> = HashSet::new();
    let by_id: HashMap<&str, usize> = submission
        .lines
        .iter()
        .enumerate()
        .map(|(at, l)| (l.custom_id.as_str(), at))
        .collect();
    let secret = ctx.config.api_key.as_ref().map(|k| k.expose());
    let boundary = Boundary::new(secret, None);
    let max_line = (ctx.config.max_response_bytes + LINE_OVERHEAD) as usize;
    let mut downloaded = Vec::new();
    for (kind, file_id) in [
        ("output", &batch.output_file_id),
        ("error", &batch.error_file_id),
    ] {
        let Some(file_id) = file_id else { continue };
        let path = download(client, journal, &batch.id, kind, file_id).await?;
        let mut reader = JsonlReader::open(&path, max_line)
            .await
            .map_err(|e| Failure::local(format!("could not read {}: {e}", path.display())))?;
        while let Some(line) = reader
            .next_line()
            .await
            .map_err(|e| Failure::local(format!("could not read {}: {e}", path.display())))?
        {
            let text = match line {
                Line::Text(text) => text,
                Line::TooLong(bytes) => {
                    out.warn(&format!(
                        "{}: a line of {bytes} bytes was skipped: larger than any answer",
                        batch.id
                    ));
                    continue;
                }
            };
            let (custom_id, result) = match read_output_line(text, boundary) {
                Ok(read) => read,
                Err(why) => {
                    out.warn(&format!("{}: {why}", batch.id));
                    continue;
                }
            };
            let Some(&at) = by_id.get(custom_id.as_str()) else {
                out.warn(&format!(
                    "{}: an answer for a request it was not sent: {custom_id}",
                    batch.id
                ));
                continue;
            };
            let line = &submission.lines[at];
            if done.contains(&line.key) {
                continue;
            }
            let reason = match result {
                LineResult::Failed { reason } => reason,
                LineResult::Answer { body, request_id } => {
                    match client.decode_answer(body, request_id, line.params.n).await {
                        Ok(generation) => {
                            if let Some(warning) = &generation.warning {
                                out.warn(warning);
                            }
                            let record = record_of(ctx, submission, at, &batch.id);
                            let images = super::save::save_or_rescue(
                                ctx.gallery_dir.clone(),
                                generation,
                                record,
                            )
                            .await?;
                            for image in &images {
                                out.saved_from(image, Some(line.number));
                            }
                            done.insert(line.key.clone());
                            continue;
                        }
                        Err(err) => Failure::from(err).message,
                    }
                }
            };
            if failed_ids.insert(line.custom_id.clone()) {
                failed.push(FailedLine {
                    custom_id: line.custom_id.clone(),
                    number: line.number,
                    reason,
                });
            }
        }
        downloaded.push(path);
    }
    let why_missing = missing_reason(batch);
    for line in &submission.lines {
        if !done.contains(&line.key) && !failed_ids.contains(&line.custom_id) {
            failed.push(FailedLine {
                custom_id: line.custom_id.clone(),
                number: line.number,
                reason: why_missing.clone(),
            });
        }
    }
    failed.sort_by_key(|f| f.number);
    let saved = submission
        .lines
        .iter()
        .filter(|l| done.contains(&l.key))
        .count();
    submission.fetched = Some(Fetched {
        at: Some(jiff::Timestamp::now()),
        saved,
        failed,
    });
    journal.save(submission)?;
    // Every image is in the gallery now; the downloads were only a way there.
    for path in downloaded {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Why a line is in neither file: what the batch as a whole said.
fn missing_reason(batch: &BatchObject) -> String {
    let said: Vec<String> = batch
        .errors
        .iter()
        .filter_map(|e| e.message.clone())
        .take(3)
        .collect();
    let status = match batch.status {
        BatchStatus::Failed => "the batch failed validation",
        BatchStatus::Expired => "not run: the batch expired before reaching it",
        BatchStatus::Cancelled => "not run: the batch was cancelled",
        _ => "the batch returned no answer for it",
    };
    match said.is_empty() {
        true => status.to_string(),
        false => format!("{status}: {}", said.join("; ")),
    }
}

fn record_of(ctx: &Context, submission: &Submission, at: usize, batch_id: &str) -> RequestRecord {
    let line = &submission.lines[at];
    let prices = ctx
        .catalog
        .prices(&line.params.model, ctx.demo.is_some())
        .and_then(|p| p.at_batch());
    RequestRecord {
        sources: line.sources.clone(),
        mask: line.mask.clone(),
        markup: line.markup.clone(),
        group: Some(line_group(&submission.batch, line.number, &line.key)),
        batch_api: Some(BatchApiRef {
            batch_id: batch_id.to_string(),
            custom_id: line.custom_id.clone(),
            line: line.number,
        }),
        ..RequestRecord::new(
            submission.endpoint,
            line.params.clone(),
            ctx.server_label(),
            prices,
        )
    }
}

/// The file on disk, downloaded whole first unless an earlier fetch did.
async fn download(
    client: &ImagesClient,
    journal: &BatchJournal,
    batch_id: &str,
    kind: &str,
    file_id: &str,
) -> Result<PathBuf, Failure> {
    let whole = journal
        .file_path(batch_id, kind)
        .ok_or_else(|| Failure::local(format!("not a batch id: {batch_id}")))?;
    if whole.exists() {
        return Ok(whole);
    }
    let shown = |e: std::io::Error, path: &Path| {
        Failure::local(format!("could not write {}: {e}", path.display()))
    };
    let mut part = PartFile::create(&whole)
        .await
        .map_err(|e| shown(e, &whole))?;
    client
        .download_file(file_id, &mut part.file, MAX_BATCH_FILE)
        .await?;
    part.finish().await.map_err(|e| shown(e, &whole))
}
