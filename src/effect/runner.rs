//! The effect runner: the one place that spawns background work. It owns
//! the API client, the abort handles of running jobs (by job id) and the
//! sender that brings results back to the loop as actions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::Effect;
use super::batches::{BatchWork, HeldBatchLocks};
use super::connection::{Connection, SharedConnection, current};
use super::thumbnailer::Thumbnailer;
use super::{batches, edit_inputs, export, files, jobs, key};
use crate::action::{Action, JobResult};
use crate::api::{Catalog, ClientConfig};
use crate::model::jobs::JobId;
use crate::store::Dirs;
use crate::store::journal::Journal;

/// What the runner needs from start-up.
pub struct RunnerSetup {
    pub config: ClientConfig,
    pub dirs: Dirs,
    pub gallery_dir: PathBuf,
    pub catalog: Catalog,
    /// Requests running at once.
    pub slots: usize,
    /// The demo server: its batches are kept apart.
    pub demo: bool,
    pub run_tag: String,
}

pub struct Runner {
    tx: UnboundedSender<Action>,
    pub(super) connection: SharedConnection,
    pub(super) dirs: Dirs,
    pub(super) gallery_dir: PathBuf,
    pub(super) catalog: Catalog,
    pub(super) journal: Option<Journal>,
    queue: tokio::sync::mpsc::UnboundedSender<jobs::Waiting>,
    running: HashMap<JobId, AbortHandle>,
    state_writer: UnboundedSender<crate::store::app_state::AppState>,
    run_tag: String,
    thumbnailer: Thumbnailer,
    batch_locks: HeldBatchLocks,
    demo: bool,
    /// The Batches view's timer, while the view is open.
    batch_watch: Option<AbortHandle>,
    /// Sources fitted for edits, kept across preparations.
    fitted: edit_inputs::FittedCache,
}

impl Runner {
    pub fn new(setup: RunnerSetup, tx: UnboundedSender<Action>) -> Result<Runner, String> {
        let connection = Connection::new(setup.config)?;
        let journal = match Journal::open(setup.dirs.journal()) {
            Ok(journal) => Some(journal),
            Err(e) => {
                let _ = tx.send(Action::Failed(format!(
                    "The job journal is unavailable: {e}"
                )));
                None
            }
        };
        let state_writer = files::spawn_state_writer(setup.dirs.app_state(), tx.clone());
        let thumbnailer = Thumbnailer::start(setup.dirs.thumbnails(), tx.clone());
        Ok(Runner {
            tx,
            connection: Arc::new(RwLock::new(Arc::new(connection))),
            dirs: setup.dirs,
            gallery_dir: setup.gallery_dir,
            catalog: setup.catalog,
            journal,
            queue: jobs::spawn_dispatcher(Arc::new(Semaphore::new(setup.slots.max(1)))),
            running: HashMap::new(),
            state_writer,
            run_tag: setup.run_tag,
            thumbnailer,
            batch_locks: Default::default(),
            demo: setup.demo,
            batch_watch: None,
            fitted: Default::default(),
        })
    }

    pub fn sender(&self) -> UnboundedSender<Action> {
        self.tx.clone()
    }

    /// Start-up work: read the gallery and the journal's leftovers.
    pub fn start(&self) {
        self.load_gallery();
        if let Some(journal) = self.journal.clone() {
            files::load_journal(journal, self.run_tag.clone(), self.tx.clone());
        }
        batches::read_journal(self.batch_work(), self.tx.clone());
    }

    /// Builds the API client on the blocking pool once the first frame is
    /// on screen: loading the CA roots then costs the first request
    /// nothing and the first frame nothing either.
    pub fn warm_connection(&self) {
        let client = self.connection().client.clone();
        tokio::task::spawn_blocking(move || client.warm());
    }

    fn load_gallery(&self) {
        files::load_gallery(
            self.gallery_dir.clone(),
            self.dirs.cache.clone(),
            self.tx.clone(),
        );
    }

    pub fn run(&mut self, effect: Effect) {
        let tx = self.tx.clone();
        match effect {
            Effect::StartJob {
                id,
                journal,
                request,
                record,
            } => {
                let (waiting, turn) = tokio::sync::oneshot::channel();
                let _ = self.queue.send(waiting);
                let job = jobs::JobTask {
                    id,
                    journal_name: journal,
                    request,
                    record,
                    client: self.connection().client.clone(),
                    journal: self.journal.clone(),
                    gallery_dir: self.gallery_dir.clone(),
                    turn,
                };
                let handle = jobs::spawn_job(job, tx);
                self.running.retain(|_, h| !h.is_finished());
                self.running.insert(id, handle);
            }
            Effect::CancelJob { id, journal } => self.cancel(id, journal),
            Effect::SaveAgain { id, unsaved } => {
                jobs::save_again(id, self.gallery_dir.clone(), unsaved, tx)
            }
            Effect::ForgetJob { journal } => files::forget_journal(self.journal.clone(), journal),
            Effect::CheckKey(candidate) => {
                key::check(&self.connection(), &self.catalog, candidate, tx)
            }
            Effect::ApplyKey { candidate, persist } => {
                key::apply(&self.connection, &self.dirs, candidate, persist, tx)
            }
            Effect::ForgetSavedKey => key::forget(self.dirs.clone(), tx),
            Effect::ListModels => key::list_models(&self.connection(), &self.catalog, tx),
            Effect::Trash(image) => files::trash(self.dirs.trash(), *image, tx),
            Effect::Restore(trashed) => files::restore(*trashed, tx),
            Effect::SaveState(state) => {
                let _ = self.state_writer.send(*state);
            }
            Effect::OpenViewer(path) => files::open_viewer(path, tx),
            Effect::MakeThumbnails(requests) => self.thumbnailer.want(requests),
            Effect::PrepareEdit(inputs) => {
                edit_inputs::prepare_edit(*inputs, self.fitted.clone(), tx)
            }
            Effect::LoadMask { path, area, cell } => edit_inputs::load_mask(path, area, cell, tx),
            Effect::CheckSource(path) => edit_inputs::check_source(path, tx),
            Effect::CompletePath { text, any_file } => {
                edit_inputs::complete_path(text, any_file, tx)
            }
            Effect::SaveSidecar(image) => files::save_sidecar(*image, tx),
            Effect::LoadGallery => self.load_gallery(),
            Effect::Export { images, folder } => export::export(images, folder, tx),
            Effect::ContactSheet { images, file } => export::contact_sheet(images, file, tx),
            Effect::ReadBatch { path, step } => {
                batches::read_batch(self.batch_work(), path, step, tx)
            }
            Effect::SubmitBatch { path, defaults } => {
                batches::submit(self.batch_work(), path, *defaults, tx)
            }
            Effect::WatchBatches(on) => {
                if let Some(timer) = self.batch_watch.take() {
                    timer.abort();
                }
                if on {
                    self.batch_watch = Some(batches::watch(self.batch_work(), tx));
                }
            }
            Effect::FetchBatch(id) => batches::fetch(self.batch_work(), id, tx),
            Effect::CancelBatch(id) => batches::cancel(self.batch_work(), id, tx),
            Effect::RetryBatch(id) => batches::retry(self.batch_work(), id, tx),
            Effect::Copy(_) | Effect::OpenEditor(_) | Effect::Suspend => {}
        }
    }

    fn cancel(&mut self, id: JobId, journal: String) {
        if let Some(handle) = self.running.remove(&id) {
            // Dropping the request's future closes its connection.
            handle.abort();
        }
        files::forget_journal(self.journal.clone(), journal);
        let _ = self.tx.send(Action::Job(JobResult::Cancelled { id }));
    }

    /// Writes what is remembered between sessions (the prompt draft among
    /// it) now, on the way out: the writer task would not outlive the loop.
    pub fn save_state_now(&self, state: &crate::store::app_state::AppState) {
        if let Err(e) = state.save(&self.dirs.app_state()) {
            tracing::warn!("saving the app state at quit: {e}");
        }
    }

    /// On the way out: requests still running are marked in the journal,
    /// so the next start lists them as interrupted.
    /// A job's journal write already on a blocking thread cannot be
    /// aborted; the journal itself keeps such a late write marked.
    pub fn shut_down(&mut self, reason: &str) {
        let in_flight = self.running.values().any(|h| !h.is_finished());
        for handle in self.running.values() {
            handle.abort();
        }
        if in_flight && let Some(journal) = &self.journal {
            let _ = journal.mark_stopped(reason);
        }
    }

    fn batch_work(&self) -> BatchWork {
        BatchWork {
            connection: self.connection.clone(),
            dirs: self.dirs.clone(),
            gallery_dir: self.gallery_dir.clone(),
            catalog: self.catalog.clone(),
            demo: self.demo,
            held: self.batch_locks.clone(),
        }
    }

    /// The connection in use now.
    pub(super) fn connection(&self) -> Arc<Connection> {
        current(&self.connection)
    }
}
