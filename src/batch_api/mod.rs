//! The Batch API's work, for `artty batch --batch-api`, `artty batches`
//! and the app's Batches view alike: lines checked and submitted
//! (`submit.rs`), the journal sent on and reconciled (`send.rs`), finished
//! batches fetched into the gallery (`fetch.rs`). Nothing here prints:
//! the command line and the app say what came of it, each in its way.

pub mod fetch;
pub mod inputs;
pub mod lines;
pub mod save;
pub mod send;
pub mod submit;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::api::{Catalog, ClientConfig};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::Dirs;
use crate::store::batch_journal::{BatchJournal, Submission};
use crate::store::gallery::Gallery;
use crate::store::index::GalleryIndex;
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

/// What the Batch API's work needs of the start-up: the folders, the model
/// table and the server.
#[derive(Clone)]
pub struct Bench {
    pub dirs: Dirs,
    pub gallery_dir: PathBuf,
    pub catalog: Catalog,
    pub config: ClientConfig,
    /// The demo server: its batches are kept apart and cost nothing.
    pub demo: bool,
}

impl Bench {
    pub fn of(ctx: &Context) -> Bench {
        Bench {
            dirs: ctx.dirs.clone(),
            gallery_dir: ctx.gallery_dir.clone(),
            catalog: ctx.catalog.clone(),
            config: ctx.config.clone(),
            demo: ctx.demo.is_some(),
        }
    }

    pub fn server_label(&self) -> String {
        self.config.server_label()
    }

    /// The journal of this data folder.
    pub fn journal(&self) -> Result<BatchJournal, Failure> {
        Ok(BatchJournal::open(self.dirs.batches())?)
    }

    /// The gallery's images, read through its index.
    pub async fn gallery_images(&self) -> Result<Vec<SavedImage>, Failure> {
        let gallery_dir = self.gallery_dir.clone();
        let index = GalleryIndex::new(&self.dirs.cache, &gallery_dir);
        Ok(tokio::task::spawn_blocking(move || {
            Gallery::at(&gallery_dir)?.load_indexed(&index, 0, |_, _| {})
        })
        .await
        .map_err(|e| Failure::local(e.to_string()))??
        .images)
    }

    /// The submissions of this connection: the demo's or the real server's.
    pub fn own(&self, journal: &BatchJournal) -> Vec<Submission> {
        journal
            .all()
            .into_iter()
            .filter(|s| s.demo == self.demo)
            .collect()
    }

    /// The keys of batch file `batch`'s lines waiting in a batch not yet
    /// fetched: they are not sent again.
    pub fn waiting_keys(&self, journal: &BatchJournal, batch: &str) -> HashSet<String> {
        self.own(journal)
            .iter()
            .filter(|s| s.batch == batch && s.open())
            .flat_map(|s| s.lines.iter().map(|l| l.key.clone()))
            .collect()
    }

    /// The one submission `name` names, among this connection's.
    pub fn find(&self, journal: &BatchJournal, name: &str) -> Result<Submission, Failure> {
        self.own(journal)
            .into_iter()
            .find(|s| s.id == name || s.api_batch_id.as_deref() == Some(name))
            .ok_or_else(|| {
                Failure::invalid(format!(
                    "no batch {} was submitted from here: `artty batches list` shows them",
                    inert(name, 80)
                ))
            })
    }
}

/// Where the work tells what it met on the way: warnings (an unreadable
/// output line, an answer for a request never sent) and each image saved.
pub trait Report: Sync {
    fn warn(&self, text: &str);
    fn saved(&self, image: &SavedImage, line: usize);
}
