//! File work for the app, each piece off the UI thread: reading the
//! gallery and the journal, the trash, app state, the system viewer.

use std::path::PathBuf;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::action::{Action, GalleryResult, JobResult};
use crate::model::gallery::Trashed;
use crate::store::app_state::AppState;
use crate::store::gallery::Gallery;
use crate::store::index::GalleryIndex;
use crate::store::journal::Journal;
use crate::store::sidecar::SavedImage;

/// Entries shown before the rest of the gallery is read: more than a
/// screen holds.
const FIRST_PAGE: usize = 200;

/// Reads the gallery through its index in the cache folder.
pub fn load_gallery(dir: PathBuf, cache: PathBuf, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let index = GalleryIndex::new(&cache, &dir);
        let early = tx.clone();
        let first_page = move |images, total| {
            let _ = early.send(Action::Gallery(GalleryResult::FirstPage { images, total }));
        };
        match Gallery::at(&dir).and_then(|g| g.load_indexed(&index, FIRST_PAGE, first_page)) {
            Ok(loaded) => {
                let _ = tx.send(Action::Gallery(GalleryResult::Loaded(loaded.images)));
                if let Some(note) = loaded.note {
                    let _ = tx.send(Action::Noted(note));
                }
            }
            Err(e) => {
                let _ = tx.send(Action::Failed(format!("Could not read the gallery: {e}")));
            }
        }
    });
}

pub fn save_sidecar(image: SavedImage, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        if let Err(e) = Gallery::update_sidecar(&image) {
            let _ = tx.send(Action::Gallery(GalleryResult::FavouriteNotSaved {
                path: image.path,
                error: e.to_string(),
            }));
        }
    });
}

pub fn load_journal(journal: Journal, own_prefix: String, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let action = match journal.leftovers(&own_prefix) {
            Ok(entries) => Action::Job(JobResult::Interrupted(entries)),
            Err(e) => Action::Failed(format!("Could not read the job journal: {e}")),
        };
        let _ = tx.send(action);
    });
}

pub fn forget_journal(journal: Option<Journal>, name: String) {
    if let Some(journal) = journal {
        tokio::task::spawn_blocking(move || journal.forget(&name));
    }
}

pub fn trash(root: PathBuf, image: SavedImage, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        // The image first: a crash before the sidecar follows leaves a
        // sidecar without an image, which is not listed, rather than an
        // image that the next start would list again from its PNG text.
        let files = [image.path.clone(), image.sidecar_path.clone()];
        let action = match crate::store::trash::trash(&root, &files) {
            Ok(ticket) => Action::Gallery(GalleryResult::Trashed {
                image: Box::new(image),
                ticket,
            }),
            Err(e) => Action::Failed(format!("Could not delete: {e}")),
        };
        let _ = tx.send(action);
    });
}

pub fn restore(trashed: Trashed, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let action = match crate::store::trash::restore(&trashed.ticket) {
            Ok(()) => Action::Gallery(GalleryResult::Restored {
                image: Box::new(trashed.image),
            }),
            Err(e) => Action::Failed(format!("Could not undo the delete: {e}")),
        };
        let _ = tx.send(action);
    });
}

/// One writer task, so saves land in the order they were asked for.
pub fn spawn_state_writer(path: PathBuf, tx: UnboundedSender<Action>) -> UnboundedSender<AppState> {
    let (state_tx, mut state_rx) = unbounded_channel::<AppState>();
    tokio::spawn(async move {
        while let Some(mut state) = state_rx.recv().await {
            // Only the newest of a burst matters.
            while let Ok(newer) = state_rx.try_recv() {
                state = newer;
            }
            let path = path.clone();
            let saved = tokio::task::spawn_blocking(move || state.save(&path)).await;
            if let Ok(Err(e)) = saved {
                let _ = tx.send(Action::Failed(format!(
                    "Could not save the prompt history: {e}"
                )));
            }
        }
    });
    state_tx
}

/// The platform's opener, detached, its output discarded; started and
/// waited for on the blocking pool, so it leaves no zombie.
pub fn open_viewer(path: PathBuf, tx: UnboundedSender<Action>) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    tokio::task::spawn_blocking(move || {
        let spawned = std::process::Command::new(opener)
            .arg(&path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                let _ = tx.send(Action::Noted(format!("Opened with {opener}")));
                let _ = child.wait();
            }
            Err(e) => {
                let _ = tx.send(Action::Failed(format!("Could not run {opener}: {e}")));
            }
        }
    });
}
