//! The last place for paid-for images the gallery refused (a full disk, a
//! read-only folder) when the process is about to end: a folder under the
//! temp directory (`$TMPDIR`, often another disk), one per run, with the
//! images' sidecars. The command line uses it when a save fails; the app
//! when it quits holding images it could not save.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::StoreError;
use super::gallery::Gallery;
use super::sidecar::{RequestRecord, SavedImage};
use crate::api::Generation;

/// `$TMPDIR/artty-rescued-<time>-<pid>`: one folder per run, so a batch's
/// rescued images stay together.
pub fn folder() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
        std::env::temp_dir().join(format!("artty-rescued-{stamp}-{}", std::process::id()))
    })
    .clone()
}

/// Saves the images in the rescue folder.
pub fn save(
    generation: &Generation,
    record: &RequestRecord,
) -> Result<Vec<SavedImage>, StoreError> {
    Gallery::at(folder())?.save(generation, record)
}
