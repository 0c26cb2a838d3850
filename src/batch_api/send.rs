//! Sending a journalled submission to the Batch API: its input file
//! uploaded, the batch created, and the journal written after each step,
//! so no step is lost and none is taken twice. A create whose answer was
//! lost may still have made the batch; `reconcile` finds it again by its
//! input file before anything is sent anew.

use super::Bench;
use crate::api::batch_wire::batch_url;
use crate::api::batches::NewBatch;
use crate::api::{ApiError, ImagesClient};
use crate::batch::api_plan::input_line;
use crate::batch::done_keys;
use crate::config::failure::Failure;
use crate::store::batch_journal::{BatchJournal, Submission};

/// What the SDKs send for a `.jsonl` file: Python's `mimetypes` names no
/// type for it, so httpx sends this.
const JSONL_CONTENT_TYPE: &str = "application/octet-stream";
/// How many of the newest batches are read to find one whose create answer was lost.
const RECONCILE_LIST: usize = 200;

/// The JSONL input file of a submission.
pub fn input_file(submission: &Submission) -> Vec<u8> {
    let url = batch_url(submission.endpoint).unwrap_or("/v1/images/generations");
    let mut text = String::new();
    for line in &submission.lines {
        text.push_str(&input_line(&line.custom_id, url, &line.body));
    }
    text.into_bytes()
}

/// Uploads the input file and creates the batch, journalling each step.
pub async fn send(
    client: &ImagesClient,
    journal: &BatchJournal,
    submission: &mut Submission,
) -> Result<(), Failure> {
    journal.save(submission)?;
    if submission.input_file_id.is_none() {
        let bytes = input_file(submission);
        let name = format!("{}.jsonl", submission.id);
        match client
            .upload_file(&name, JSONL_CONTENT_TYPE, bytes.into(), "batch")
            .await
        {
            Ok(file) => submission.input_file_id = Some(file.id),
            Err(err) => {
                // Nothing billable was made: the lines are free to go again.
                submission.abandoned = true;
                journal.save(submission)?;
                return Err(err.into());
            }
        }
        journal.save(submission)?;
    }
    let input_file_id = submission.input_file_id.clone().unwrap_or_default();
    let metadata = vec![
        ("artty_submission".to_string(), submission.id.clone()),
        ("artty_batch".to_string(), submission.batch.clone()),
    ];
    let url = batch_url(submission.endpoint).unwrap_or("/v1/images/generations");
    let created = client
        .create_batch(&NewBatch {
            input_file_id: &input_file_id,
            endpoint: url,
            metadata: &metadata,
        })
        .await;
    match created {
        Ok(batch) => {
            submission.api_batch_id = Some(batch.id);
            submission.status = Some(batch.status);
            submission.counts = batch.request_counts;
            journal.save(submission)?;
            Ok(())
        }
        Err(err) if may_have_been_made(&err) => {
            let failure = Failure::from(err);
            Err(Failure {
                message: format!(
                    "{}; the batch may have been created: `artty batches list` finds it",
                    failure.message
                ),
                ..failure
            })
        }
        Err(err) => {
            submission.abandoned = true;
            journal.save(submission)?;
            // The input file is of no more use; removing it is a courtesy.
            let _ = client.delete_file(&input_file_id).await;
            Err(err.into())
        }
    }
}

/// An error after which the server may have acted on the request.
fn may_have_been_made(err: &ApiError) -> bool {
    matches!(
        err,
        ApiError::ConnectionLost { .. }
            | ApiError::Timeout { .. }
            | ApiError::Server { .. }
            | ApiError::Protocol { .. }
    )
}

/// Submissions whose input file was uploaded but whose create answer was
/// lost: found among the server's batches by their input file and
/// adopted, or (when none has it) created now.
pub async fn reconcile(
    client: &ImagesClient,
    journal: &BatchJournal,
    submissions: &mut [Submission],
) -> Result<(), Failure> {
    let unsure: Vec<usize> = submissions
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.abandoned && s.api_batch_id.is_none())
        .map(|(at, _)| at)
        .collect();
    if unsure.is_empty() {
        return Ok(());
    }
    let listed = client.list_batches(RECONCILE_LIST).await?;
    for at in unsure {
        let submission = &mut submissions[at];
        let found = submission
            .input_file_id
            .as_ref()
            .and_then(|input| listed.iter().find(|b| &b.input_file_id == input));
        match found {
            Some(batch) => {
                submission.api_batch_id = Some(batch.id.clone());
                submission.status = Some(batch.status.clone());
                submission.counts = batch.request_counts;
                journal.save(submission)?;
            }
            None => send(client, journal, submission).await?,
        }
    }
    Ok(())
}

/// Asks the API where a submission stands, and journals the answer.
pub async fn refresh(
    client: &ImagesClient,
    journal: &BatchJournal,
    submission: &mut Submission,
) -> Result<crate::api::batch_wire::BatchObject, Failure> {
    let id = submission
        .api_batch_id
        .clone()
        .ok_or_else(|| Failure::local(format!("{} was never created", submission.id)))?;
    let batch = client.get_batch(&id).await?;
    submission.status = Some(batch.status.clone());
    submission.counts = batch.request_counts;
    journal.save(submission)?;
    Ok(batch)
}

/// Sent and not known to be over.
pub fn needs_asking(s: &Submission) -> bool {
    s.open() && s.status.as_ref().is_none_or(|status| !status.is_final())
}

/// Asks the API where every running submission stands, reconciling lost
/// create answers first; says which could not be asked, and why.
pub async fn refresh_running(
    client: &ImagesClient,
    journal: &BatchJournal,
    all: &mut [Submission],
) -> Result<Vec<(String, Failure)>, Failure> {
    let mut unanswered = Vec::new();
    if !all.iter().any(needs_asking) {
        return Ok(unanswered);
    }
    reconcile(client, journal, all).await?;
    for submission in all.iter_mut().filter(|s| needs_asking(s)) {
        if let Err(failure) = refresh(client, journal, submission).await {
            unanswered.push((submission.name().to_string(), failure));
        }
    }
    Ok(unanswered)
}

/// Asks the API to cancel a submission's batch, and journals the answer.
/// What it made before stopping is fetched like any finished batch's.
pub async fn cancel(
    client: &ImagesClient,
    journal: &BatchJournal,
    submission: &mut Submission,
) -> Result<(), Failure> {
    let id = submission.api_batch_id.clone().ok_or_else(|| {
        Failure::invalid(format!(
            "{} was never created: nothing to cancel",
            submission.id
        ))
    })?;
    let batch = client.cancel_batch(&id).await?;
    submission.status = Some(batch.status);
    submission.counts = batch.request_counts;
    journal.save(submission)?;
    Ok(())
}

/// The lines of a fetched submission that made no image and wait in no
/// other batch, sent again as a new batch; the original records it.
/// `None`: every line has its image or waits elsewhere. Call it under the
/// batch file's lock.
pub async fn retry(
    bench: &Bench,
    client: &ImagesClient,
    journal: &BatchJournal,
    original: &mut Submission,
) -> Result<Option<Submission>, Failure> {
    if original.fetched.is_none() {
        return Err(Failure::invalid(format!(
            "{} has not been fetched yet: fetch it first",
            original.name()
        )));
    }
    let images = bench.gallery_images().await?;
    let done = done_keys(&original.batch, images.iter());
    let waiting = bench.waiting_keys(journal, &original.batch);
    let lines: Vec<_> = original
        .lines
        .iter()
        .filter(|l| !done.contains(&l.key) && !waiting.contains(&l.key))
        .cloned()
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    let mut again = Submission::new(
        BatchJournal::new_id(&original.batch, 0),
        bench.server_label(),
        bench.demo,
        original.source.clone(),
        original.batch.clone(),
        original.endpoint,
        lines,
    );
    let share = again.lines.len() as f64 / original.lines.len().max(1) as f64;
    again.estimate_usd = original.estimate_usd.map(|usd| usd * share);
    send(client, journal, &mut again).await?;
    original.retried_as.push(again.id.clone());
    journal.save(original)?;
    Ok(Some(again))
}
