//! A finished batch's output file streamed to
//! disk (a `.part` file until whole), then read a line at a time, each
//! answer decoded and checked like a direct one and saved into the
//! gallery with its sidecar at Batch API prices. A line whose image is
//! already in the gallery is skipped, so a fetch run twice, or killed
//! halfway and run again, saves every image exactly once. Memory holds
//! one line at a time, however large the file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::send::refresh;
use super::{Bench, Report};
use crate::api::ImagesClient;
use crate::api::batch_wire::{BatchObject, BatchStatus, LineResult, read_output_line};
use crate::api::untrusted::Boundary;
use crate::batch::{done_keys, line_group};
use crate::config::failure::Failure;
use crate::store::batch_journal::{BatchJournal, FailedLine, Fetched, PartFile, Submission};
use crate::store::batch_lock::BatchLock;
use crate::store::jsonl::{JsonlReader, Line};
use crate::store::sidecar::{BatchApiRef, RequestRecord};

/// An output file may be hundreds of gigabytes (50,000 large images); past
/// this it is refused rather than left to fill the disk.
const MAX_BATCH_FILE: u64 = 1 << 40;
/// Room for the line around an answer's body.
const LINE_OVERHEAD: u64 = 64 * 1024;

/// What a fetch found.
pub enum Fetch {
    /// The batch is still running: where it stands.
    Waiting(Box<BatchObject>),
    /// Its images are in the gallery (saved now, or by a fetch before);
    /// the submission's `fetched` says what it gave.
    Fetched,
}

/// Whether the fetch takes the batch file's lock, or its caller holds it
/// already (the app holds the lock of every batch file it read until it quits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    Take,
    HeldByCaller,
}

/// Asks where a submission stands and, when it is over, saves its images
/// under its batch file's lock.
pub async fn fetch_one(
    bench: &Bench,
    report: &dyn Report,
    client: &ImagesClient,
    journal: &BatchJournal,
    submission: &mut Submission,
    lock: Lock,
) -> Result<Fetch, Failure> {
    if submission.fetched.is_some() {
        return Ok(Fetch::Fetched);
    }
    let batch = refresh(client, journal, submission).await?;
    if !batch.status.is_final() {
        return Ok(Fetch::Waiting(Box::new(batch)));
    }
    // The batch file's own lock: no run, submit, retry or other fetch of
    // its lines saves or sends while this one decides what is done.
    let _lock = match lock {
        Lock::Take => {
            Some(BatchLock::take(&bench.dirs.locks(), &submission.batch).map_err(Failure::local)?)
        }
        Lock::HeldByCaller => None,
    };
    // What is done is read under the lock: another fetch may have
    // finished while this one asked the server.
    if let Some(now) = journal.find(&submission.id) {
        *submission = now;
    }
    if submission.fetched.is_some() {
        return Ok(Fetch::Fetched);
    }
    let images = bench.gallery_images().await?;
    let done = done_keys(&submission.batch, images.iter());
    read_batch(bench, report, client, journal, submission, &batch, done).await?;
    Ok(Fetch::Fetched)
}

/// Saves a finished batch's images and journals what it gave.
async fn read_batch(
    bench: &Bench,
    report: &dyn Report,
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
    let secret = bench.config.api_key.as_ref().map(|k| k.expose());
    let boundary = Boundary::new(secret, None);
    let max_line = (bench.config.max_response_bytes + LINE_OVERHEAD) as usize;
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
                    report.warn(&format!(
                        "{}: a line of {bytes} bytes was skipped: larger than any answer",
                        batch.id
                    ));
                    continue;
                }
            };
            let (custom_id, result) = match read_output_line(text, boundary) {
                Ok(read) => read,
                Err(why) => {
                    report.warn(&format!("{}: {why}", batch.id));
                    continue;
                }
            };
            let Some(&at) = by_id.get(custom_id.as_str()) else {
                report.warn(&format!(
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
                                report.warn(warning);
                            }
                            let record = record_of(bench, submission, at, &batch.id);
                            let images = super::save::save_or_rescue(
                                bench.gallery_dir.clone(),
                                generation,
                                record,
                            )
                            .await?;
                            for image in &images {
                                report.saved(image, line.number);
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

fn record_of(bench: &Bench, submission: &Submission, at: usize, batch_id: &str) -> RequestRecord {
    let line = &submission.lines[at];
    let prices = bench
        .catalog
        .prices(&line.params.model, bench.demo)
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
            bench.server_label(),
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
