//! Saving a request's images outside the app's jobs (commands, batch
//! fetches): in the gallery, or, when it refuses them, in the rescue
//! folder, with an error naming it.

use std::path::{Path, PathBuf};

use crate::api::Generation;
use crate::config::failure::Failure;
use crate::store::gallery::Gallery;
use crate::store::rescue;
use crate::store::sidecar::{RequestRecord, SavedImage};

pub async fn save_or_rescue(
    gallery: PathBuf,
    generation: Generation,
    record: RequestRecord,
) -> Result<Vec<SavedImage>, Failure> {
    tokio::task::spawn_blocking(move || save_blocking(&gallery, &generation, &record))
        .await
        .map_err(|e| Failure::local(format!("saving failed: {e}")))?
}

fn save_blocking(
    gallery: &Path,
    generation: &Generation,
    record: &RequestRecord,
) -> Result<Vec<SavedImage>, Failure> {
    let refused = match Gallery::at(gallery).and_then(|g| g.save(generation, record)) {
        Ok(saved) => return Ok(saved),
        Err(e) => e,
    };
    let folder = rescue::folder();
    let message = match rescue::save(generation, record) {
        Ok(_) => format!(
            "the images could not be saved in the gallery: {refused}. They are safe in {} instead; move them with their .json files into the gallery once it is fixed",
            folder.display()
        ),
        Err(again) => format!(
            "the images could not be saved: {refused}; nor in {}: {again}",
            folder.display()
        ),
    };
    Err(Failure::local(message))
}
