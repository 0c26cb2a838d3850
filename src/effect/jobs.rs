//! One request as a background task: journal entry, a free slot, the API
//! call with its progress, saving every image, then the result.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio::task::AbortHandle;

use crate::action::{Action, JobResult};
use crate::api::{ApiError, ImagesClient, Progress, ValidRequest};
use crate::model::jobs::{JobFailure, JobId, Stage, Unsaved};
use crate::store::gallery::Gallery;
use crate::store::journal::{Journal, JournalEntry};
use crate::store::sidecar::RequestRecord;

pub struct JobTask {
    pub id: JobId,
    pub journal_name: String,
    pub request: Box<ValidRequest>,
    pub record: Box<RequestRecord>,
    pub client: Arc<ImagesClient>,
    pub journal: Option<Journal>,
    pub gallery_dir: PathBuf,
    /// Delivers the job's slot when its turn comes.
    pub turn: oneshot::Receiver<OwnedSemaphorePermit>,
}

/// A job waiting for a slot.
pub type Waiting = oneshot::Sender<OwnedSemaphorePermit>;

/// Hands out slots in the order jobs were started (tasks themselves may
/// first run in any order). A cancelled job's slot goes straight back.
pub fn spawn_dispatcher(slots: Arc<Semaphore>) -> mpsc::UnboundedSender<Waiting> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Waiting>();
    tokio::spawn(async move {
        while let Some(waiting) = rx.recv().await {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let _ = waiting.send(permit);
        }
    });
    tx
}

/// Spawns the job, and a watcher that turns a panic in it into a failed
/// job instead of a silent hole.
pub fn spawn_job(job: JobTask, tx: UnboundedSender<Action>) -> AbortHandle {
    let id = job.id;
    let handle = tokio::spawn(run_job(job, tx.clone()));
    let abort = handle.abort_handle();
    tokio::spawn(report_panic(handle, id, tx));
    abort
}

/// Waits for a job's task; if it panicked, the job is reported failed.
async fn report_panic(handle: tokio::task::JoinHandle<()>, id: JobId, tx: UnboundedSender<Action>) {
    let Err(err) = handle.await else { return };
    if !err.is_panic() {
        return;
    }
    let failure = JobFailure {
        headline: "Internal error in this job; the app keeps running. Please report it.".into(),
        detail: panic_text(err.into_panic()),
        may_be_billed: true,
        kind: "internal",
        kept: None,
    };
    let _ = tx.send(Action::Job(JobResult::Failed { id, failure }));
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

async fn run_job(job: JobTask, tx: UnboundedSender<Action>) {
    let id = job.id;
    let mut entry = JournalEntry::new(
        job.journal_name.clone(),
        job.record.endpoint,
        job.record.params.clone(),
        job.record.server.clone(),
    );
    record(&job.journal, &entry).await;
    let Ok(_slot) = job.turn.await else {
        return;
    };
    entry.sent = true;
    record(&job.journal, &entry).await;
    let progress_tx = tx.clone();
    let mut on_progress = move |p: Progress| {
        if let Progress::Partial { index, image } = &p {
            super::thumbnailer::decode_partial(id, *index, image.clone(), progress_tx.clone());
        }
        let _ = progress_tx.send(Action::Job(JobResult::StageChanged {
            id,
            stage: stage_of(p),
        }));
    };
    let outcome = job.client.create(&job.request, &mut on_progress).await;
    let action = match outcome {
        Ok(generation) => {
            let _ = tx.send(Action::Job(JobResult::StageChanged {
                id,
                stage: Stage::Saving,
            }));
            let unsaved = Unsaved {
                generation,
                record: *job.record,
            };
            saved_or_kept(id, job.gallery_dir.clone(), Arc::new(unsaved)).await
        }
        Err(err) => Action::Job(JobResult::Failed {
            id,
            failure: failure_of(&err),
        }),
    };
    forget(&job.journal, &entry.name).await;
    let _ = tx.send(action);
}

fn stage_of(progress: Progress) -> Stage {
    match progress {
        Progress::Sending { attempt } => Stage::Sending { attempt },
        Progress::Retrying {
            attempt, reason, ..
        } => Stage::Retrying { attempt, reason },
        Progress::Receiving => Stage::Receiving,
        Progress::Partial { index, .. } => Stage::Partial {
            received: index + 1,
        },
        Progress::Downloading { index, of } => Stage::Downloading { index, of },
    }
}

/// The message the user can act on, and everything known for the details view.
pub fn failure_of(err: &ApiError) -> JobFailure {
    // The key hint is added by `update`, which knows the keymap.
    let headline = err.user_message();
    // The server's own words and fields, not our headline again.
    let detail = match err.server_said() {
        Some(said) => format!(
            "{}\nHTTP {} code={} param={} type={}",
            said.message,
            said.status,
            said.code.as_deref().unwrap_or("-"),
            said.param.as_deref().unwrap_or("-"),
            said.kind.as_deref().unwrap_or("-"),
        ),
        None => String::new(),
    };
    JobFailure {
        headline,
        detail,
        may_be_billed: err.may_have_been_billed(),
        kind: err.kind(),
        kept: None,
    }
}

/// Saves images kept from a failed save: the user freed space or fixed
/// the folder and pressed retry.
pub fn save_again(id: JobId, dir: PathBuf, unsaved: Arc<Unsaved>, tx: UnboundedSender<Action>) {
    tokio::spawn(async move {
        let _ = tx.send(saved_or_kept(id, dir, unsaved).await);
    });
}

/// Saves every image of a request; on failure the images stay in the
/// failure, in memory, for another try.
async fn saved_or_kept(id: JobId, dir: PathBuf, unsaved: Arc<Unsaved>) -> Action {
    let kept = unsaved.clone();
    let saved = tokio::task::spawn_blocking(move || {
        Gallery::at(dir)?.save(&unsaved.generation, &unsaved.record)
    })
    .await;
    let why = match saved {
        Ok(Ok(images)) => {
            let warning = kept.generation.warning.clone();
            return Action::Job(JobResult::Saved {
                id,
                images,
                warning,
            });
        }
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    let failure = JobFailure {
        headline: format!("The images arrived but could not be saved: {why}"),
        detail: why,
        may_be_billed: true,
        kind: "save",
        kept: Some(kept),
    };
    Action::Job(JobResult::Failed { id, failure })
}

async fn record(journal: &Option<Journal>, entry: &JournalEntry) {
    if let Some(journal) = journal.clone() {
        let entry = entry.clone();
        let _ = tokio::task::spawn_blocking(move || journal.record(&entry)).await;
    }
}

async fn forget(journal: &Option<Journal>, name: &str) {
    if let Some(journal) = journal.clone() {
        let name = name.to_string();
        let _ = tokio::task::spawn_blocking(move || journal.forget(&name)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_job_becomes_a_failed_job_and_nothing_else_stops() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = tokio::spawn(async { panic!("decoder exploded") });
        report_panic(handle, JobId(9), tx).await;
        match rx.recv().await {
            Some(Action::Job(JobResult::Failed { id, failure })) => {
                assert_eq!(id, JobId(9));
                assert_eq!(failure.detail, "decoder exploded");
                assert!(failure.headline.contains("keeps running"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_cancelled_job_is_not_reported_as_a_panic() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = tokio::spawn(std::future::pending::<()>());
        handle.abort();
        report_panic(handle, JobId(1), tx).await;
        assert!(rx.try_recv().is_err());
    }
}
