//! Saving a request's images from the command line. When the gallery
//! refuses them (a full disk, a read-only folder) they are paid for and
//! exist nowhere else, and the process is about to end: they go to a
//! rescue folder under the temp directory (`$TMPDIR`, often another
//! disk), and the error says where.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::exit::Failure;
use crate::api::Generation;
use crate::store::gallery::{Gallery, RequestRecord, SavedImage};

pub async fn save_or_rescue(
    gallery: PathBuf,
    generation: Generation,
    record: RequestRecord,
) -> Result<Vec<SavedImage>, Failure> {
    tokio::task::spawn_blocking(move || {
        save_blocking(&gallery, &generation, &record, &rescue_dir())
    })
    .await
    .map_err(|e| Failure::local(format!("saving failed: {e}")))?
}

fn save_blocking(
    gallery: &Path,
    generation: &Generation,
    record: &RequestRecord,
    rescue: &Path,
) -> Result<Vec<SavedImage>, Failure> {
    let refused = match Gallery::at(gallery).and_then(|g| g.save(generation, record)) {
        Ok(saved) => return Ok(saved),
        Err(e) => e,
    };
    let message = match Gallery::at(rescue).and_then(|g| g.save(generation, record)) {
        Ok(_) => format!(
            "the images could not be saved in the gallery: {refused}. They are safe in {} instead; move them with their .json files into the gallery once it is fixed",
            rescue.display()
        ),
        Err(again) => format!(
            "the images could not be saved: {refused}; nor in {}: {again}",
            rescue.display()
        ),
    };
    Err(Failure::local(message))
}

/// One folder per run, so a batch's rescued images stay together.
fn rescue_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
        std::env::temp_dir().join(format!("artty-rescued-{stamp}-{}", std::process::id()))
    })
    .clone()
}
