//! Sending a journalled submission to the Batch API: its input file
//! uploaded, the batch created, and the journal written after each step,
//! so no step is lost and none is taken twice. A create whose answer was
//! lost may still have made the batch; `reconcile` finds it again by its
//! input file before anything is sent anew.

use crate::api::batch_wire::batch_url;
use crate::api::batches::NewBatch;
use crate::api::{ApiError, ImagesClient};
use crate::batch::api_plan::input_line;
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::batch_journal::{BatchJournal, Submission};
use crate::util::inert::inert;

/// What the SDKs send for a `.jsonl` file: Python's `mimetypes` names no
/// type for it, so httpx sends this.
const JSONL_CONTENT_TYPE: &str = "application/octet-stream";
/// How many of the newest batches are read to find one whose create answer was lost.
const RECONCILE_LIST: usize = 200;

/// The journal of this data folder.
pub fn journal(ctx: &Context) -> Result<BatchJournal, Failure> {
    Ok(BatchJournal::open(ctx.dirs.batches())?)
}

/// The submissions of this connection: the demo's or the real server's.
pub fn own(ctx: &Context, journal: &BatchJournal) -> Vec<Submission> {
    journal
        .all()
        .into_iter()
        .filter(|s| s.demo == ctx.demo.is_some())
        .collect()
}

/// The keys of batch file `batch`'s lines waiting in a batch not yet
/// fetched: they are not sent again.
pub fn waiting_keys(
    ctx: &Context,
    journal: &BatchJournal,
    batch: &str,
) -> std::collections::HashSet<String> {
    own(ctx, journal)
        .iter()
        .filter(|s| s.batch == batch && s.open())
        .flat_map(|s| s.lines.iter().map(|l| l.key.clone()))
        .collect()
}

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

/// The client, or the message that a key is needed.
pub fn client(ctx: &Context) -> Result<ImagesClient, Failure> {
    if ctx.config.api_key.is_none() {
        return Err(ctx.no_key());
    }
    ctx.client()
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

/// The one submission `name` names, among this connection's.
pub fn find(ctx: &Context, journal: &BatchJournal, name: &str) -> Result<Submission, Failure> {
    own(ctx, journal)
        .into_iter()
        .find(|s| s.id == name || s.api_batch_id.as_deref() == Some(name))
        .ok_or_else(|| {
            Failure::invalid(format!(
                "no batch {} was submitted from here: `artty batches list` shows them",
                inert(name, 80)
            ))
        })
}
