//! The Batch API's work for the app, on the engine the command line uses
//! (`batch_api`): batch files read for `B` (with the lines already waiting
//! in a batch), submitted, listed on a slow timer while the Batches view
//! is open, fetched into the gallery and cancelled. Every result comes
//! back as an `Action::Batches`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::connection::{SharedConnection, current};
use crate::action::{Action, BatchesResult, FetchReport, FileResult, Submitted};
use crate::api::{Catalog, ImageParams, ImagesClient};
use crate::batch::{batch_id, parse};
use crate::batch_api::fetch::{Fetch, Lock, fetch_one};
use crate::batch_api::send::{cancel as cancel_batch, refresh_running, retry as retry_lines};
use crate::batch_api::submit::{plan, send_plan};
use crate::batch_api::{Bench, Report};
use crate::model::batches::{BatchRow, BatchStep};
use crate::store::Dirs;
use crate::store::batch_journal::Submission;
use crate::store::batch_lock::BatchLock;
use crate::store::local_file::{self, Named, limit};
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

/// How often the open view asks the server: a batch takes minutes to
/// hours, and each ask is a request per running batch.
const EVERY: Duration = Duration::from_secs(30);
/// The demo's batches finish in seconds, on loopback.
const DEMO_EVERY: Duration = Duration::from_secs(3);

/// The batch files this app has read, by id, locked until it quits, so a
/// command-line run of the same file meanwhile is refused.
pub type HeldBatchLocks = Arc<Mutex<std::collections::HashMap<String, BatchLock>>>;

/// What the work needs; cloned into each task.
#[derive(Clone)]
pub struct BatchWork {
    pub connection: SharedConnection,
    pub dirs: Dirs,
    pub gallery_dir: PathBuf,
    pub catalog: Catalog,
    pub demo: bool,
    pub held: HeldBatchLocks,
}

impl BatchWork {
    /// The engine's view of things as the connection stands now (the key
    /// or server may have changed since the last task).
    fn bench(&self) -> (Bench, Arc<ImagesClient>, bool) {
        let connection = current(&self.connection);
        let has_key = connection.config.api_key.is_some();
        let bench = Bench {
            dirs: self.dirs.clone(),
            gallery_dir: self.gallery_dir.clone(),
            catalog: self.catalog.clone(),
            config: connection.config.clone(),
            demo: self.demo,
        };
        (bench, connection.client.clone(), has_key)
    }

    /// Holds the lock of batch file `id` from now until the app quits.
    fn hold(&self, id: &str) -> Result<(), String> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if !held.contains_key(id) {
            held.insert(id.to_string(), BatchLock::take(&self.dirs.locks(), id)?);
        }
        Ok(())
    }
}

const NO_KEY: &str = "No API key: F2 sets one";

/// Reads a batch file for `B`, with the keys of its lines already waiting
/// in a batch on the Batch API (they are not sent again).
pub fn read_batch(work: BatchWork, path: PathBuf, step: BatchStep, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let id = batch_id(&local_file::canonical(&path));
        let result = work
            .hold(&id)
            .and_then(|()| read_text(&path).map_err(|e| e.to_string()));
        let (bench, _, _) = work.bench();
        let waiting = match bench.journal() {
            Ok(journal) => bench.waiting_keys(&journal, &id),
            Err(_) => Default::default(),
        };
        let _ = tx.send(Action::File(FileResult::BatchRead {
            path,
            id,
            result,
            waiting,
            step,
        }));
    });
}

fn read_text(path: &Path) -> std::io::Result<String> {
    local_file::read_text(path, limit::BATCH, Named::ByUser)
}

/// The journal's batches, read once at start-up without asking a server.
pub fn read_journal(work: BatchWork, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let (bench, _, _) = work.bench();
        let Ok(journal) = bench.journal() else {
            return;
        };
        let rows = rows(&newest_first(&bench, &journal));
        let _ = tx.send(Action::Batches(BatchesResult::Found { rows }));
    });
}

/// This connection's submissions that reached the API, newest first.
fn newest_first(
    bench: &Bench,
    journal: &crate::store::batch_journal::BatchJournal,
) -> Vec<Submission> {
    let mut all: Vec<Submission> = bench
        .own(journal)
        .into_iter()
        .filter(|s| !s.abandoned)
        .collect();
    all.sort_by_key(|s| std::cmp::Reverse(s.created));
    all
}

/// Lists the batches now and every little while, until aborted.
pub fn watch(work: BatchWork, tx: UnboundedSender<Action>) -> AbortHandle {
    let every = match work.demo {
        true => DEMO_EVERY,
        false => EVERY,
    };
    tokio::spawn(async move {
        loop {
            list(&work, &tx).await;
            tokio::time::sleep(every).await;
        }
    })
    .abort_handle()
}

/// The journal's batches at once, then again once the server has said
/// where the running ones stand.
async fn list(work: &BatchWork, tx: &UnboundedSender<Action>) {
    let (bench, client, has_key) = work.bench();
    let listed = |rows: Vec<BatchRow>, asked: bool, problem: Option<String>| {
        let _ = tx.send(Action::Batches(BatchesResult::Listed {
            rows,
            read_at: jiff::Timestamp::now(),
            asked,
            problem,
        }));
    };
    let journal = match bench.journal() {
        Ok(journal) => journal,
        Err(failure) => return listed(Vec::new(), true, Some(failure.message)),
    };
    let mut all = newest_first(&bench, &journal);
    let running = all.iter().any(crate::batch_api::send::needs_asking);
    if !running {
        return listed(rows(&all), true, None);
    }
    if !has_key {
        return listed(rows(&all), true, Some(NO_KEY.into()));
    }
    listed(rows(&all), false, None);
    let problem = match refresh_running(&client, &journal, &mut all).await {
        Ok(unanswered) => unanswered
            .first()
            .map(|(name, failure)| format!("{name}: {}", failure.message)),
        Err(failure) => Some(failure.message),
    };
    listed(rows(&all), true, problem);
}

fn rows(all: &[Submission]) -> Vec<BatchRow> {
    all.iter().map(row).collect()
}

fn row(s: &Submission) -> BatchRow {
    BatchRow {
        id: s.id.clone(),
        name: s.name().to_string(),
        source: s.source.clone(),
        status: s.status.clone(),
        counts: s.counts,
        requests: s.lines.len(),
        estimate_usd: s.estimate_usd,
        created: s.created,
        fetched: s.fetched.as_ref().map(|f| (f.saved, f.failed.len())),
        retried: !s.retried_as.is_empty(),
    }
}

/// Checks a batch file's lines and sends them to the Batch API.
pub fn submit(work: BatchWork, path: PathBuf, defaults: ImageParams, tx: UnboundedSender<Action>) {
    then_list(work, tx, |work| async move {
        let shown = inert(&path.display().to_string(), 200);
        let result = submit_file(&work, &path, &shown, &defaults).await;
        BatchesResult::Submitted { shown, result }
    });
}

/// Runs one piece of work in a task, reports it, then lists the batches
/// again so the view shows what it changed.
fn then_list<Work>(
    work: BatchWork,
    tx: UnboundedSender<Action>,
    run: impl FnOnce(BatchWork) -> Work + Send + 'static,
) where
    Work: std::future::Future<Output = BatchesResult> + Send + 'static,
{
    tokio::spawn(async move {
        let result = run(work.clone()).await;
        let _ = tx.send(Action::Batches(result));
        list(&work, &tx).await;
    });
}

async fn submit_file(
    work: &BatchWork,
    path: &Path,
    shown: &str,
    defaults: &ImageParams,
) -> Result<Submitted, String> {
    let owned = path.to_path_buf();
    let text = tokio::task::spawn_blocking(move || read_text(&owned))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("Could not read {shown}: {e}"))?;
    let canonical = local_file::canonical(path);
    let id = batch_id(&canonical);
    let base = canonical
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    work.hold(&id)?;
    let file = parse(id, &text, defaults);
    let (bench, client, has_key) = work.bench();
    let journal = bench.journal().map_err(|f| f.message)?;
    let plan = plan(&bench, &journal, &file, &base)
        .await
        .map_err(|f| f.message)?;
    let mut submitted = Submitted {
        batches: 0,
        requests: 0,
        estimate: plan.prices().1,
        skipped: plan.skipped,
        invalid: plan.invalid.clone(),
    };
    if !plan.invalid.is_empty() || plan.planned.is_empty() {
        return Ok(submitted);
    }
    if !has_key {
        return Err(NO_KEY.into());
    }
    let mut made = (0, 0);
    let sent = send_plan(&bench, &client, &journal, shown, &plan, &mut |s| {
        made.0 += 1;
        made.1 += s.lines.len();
    })
    .await;
    (submitted.batches, submitted.requests) = made;
    match sent {
        Ok(()) => Ok(submitted),
        // Those made before the failure are journalled and listed.
        Err(failure) if made.0 > 0 => Err(format!(
            "{} of the batches were created; then: {}",
            made.0, failure.message
        )),
        Err(failure) => Err(failure.message),
    }
}

/// What a fetch met on the way, kept for the status line.
#[derive(Default)]
struct Collected {
    warnings: Mutex<Vec<String>>,
    images: AtomicUsize,
}

impl Report for Collected {
    fn warn(&self, text: &str) {
        let mut warnings = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        warnings.push(inert(text, 300));
    }

    fn saved(&self, _image: &SavedImage, _line: usize) {
        self.images.fetch_add(1, Ordering::Relaxed);
    }
}

/// Saves a finished batch's images into the gallery.
pub fn fetch(work: BatchWork, id: String, tx: UnboundedSender<Action>) {
    then_list(work, tx, |work| async move {
        let result = fetch_now(&work, &id).await;
        BatchesResult::Fetched { id, result }
    });
}

async fn fetch_now(work: &BatchWork, id: &str) -> Result<FetchReport, String> {
    let (bench, client, has_key) = work.bench();
    let journal = bench.journal().map_err(|f| f.message)?;
    let mut submission = bench.find(&journal, id).map_err(|f| f.message)?;
    if submission.fetched.is_none() && !has_key {
        return Err(NO_KEY.into());
    }
    work.hold(&submission.batch)?;
    let collected = Collected::default();
    let fetch = fetch_one(
        &bench,
        &collected,
        &client,
        &journal,
        &mut submission,
        Lock::HeldByCaller,
    )
    .await
    .map_err(|f| f.message)?;
    let (lines_saved, lines_failed) = submission
        .fetched
        .as_ref()
        .map_or((0, 0), |f| (f.saved, f.failed.len()));
    Ok(FetchReport {
        running: match fetch {
            Fetch::Waiting(batch) => Some(batch.status.name().to_string()),
            Fetch::Fetched => None,
        },
        images_saved: collected.images.load(Ordering::Relaxed),
        lines_saved,
        lines_failed,
        warnings: collected
            .warnings
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    })
}

/// Asks the API to cancel a batch.
pub fn cancel(work: BatchWork, id: String, tx: UnboundedSender<Action>) {
    then_list(work, tx, |work| async move {
        let result = cancel_now(&work, &id).await;
        BatchesResult::Cancelled { id, result }
    });
}

async fn cancel_now(work: &BatchWork, id: &str) -> Result<(), String> {
    let (bench, client, has_key) = work.bench();
    if !has_key {
        return Err(NO_KEY.into());
    }
    let journal = bench.journal().map_err(|f| f.message)?;
    let mut submission = bench.find(&journal, id).map_err(|f| f.message)?;
    cancel_batch(&client, &journal, &mut submission)
        .await
        .map_err(|f| f.message)
}

/// Sends a fetched batch's lines that made no image again.
pub fn retry(work: BatchWork, id: String, tx: UnboundedSender<Action>) {
    then_list(work, tx, |work| async move {
        let result = retry_now(&work, &id).await;
        BatchesResult::Retried { id, result }
    });
}

async fn retry_now(work: &BatchWork, id: &str) -> Result<Option<(String, usize)>, String> {
    let (bench, client, has_key) = work.bench();
    if !has_key {
        return Err(NO_KEY.into());
    }
    let journal = bench.journal().map_err(|f| f.message)?;
    let mut original = bench.find(&journal, id).map_err(|f| f.message)?;
    work.hold(&original.batch)?;
    let again = retry_lines(&bench, &client, &journal, &mut original)
        .await
        .map_err(|f| f.message)?;
    Ok(again.map(|s| (s.name().to_string(), s.lines.len())))
}
