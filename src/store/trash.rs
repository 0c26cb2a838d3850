//! Deleting gallery entries to a trash folder, so a delete can be undone.
//! The sidecar moves first and comes back last: a crash in between leaves
//! an image without a sidecar, which the gallery does not list, never a
//! listed entry without its image.

use std::fs;
use std::path::{Path, PathBuf};

use super::StoreError;
use super::atomic::ensure_private_dir;

/// Where each file went, so it can be put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashTicket {
    pub moves: Vec<(PathBuf, PathBuf)>,
}

/// Moves `files` (sidecar first) into a new folder under `trash_root`.
pub fn trash(trash_root: &Path, files: &[PathBuf]) -> Result<TrashTicket, StoreError> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    let folder = trash_root.join(format!("{stamp}-{:06x}", fastrand::u32(..0xff_ffff)));
    ensure_private_dir(&folder)?;
    let mut moves = Vec::with_capacity(files.len());
    for from in files {
        let name = from.file_name().unwrap_or(from.as_os_str());
        let to = folder.join(name);
        fs::rename(from, &to).map_err(StoreError::io("move to the trash", from))?;
        moves.push((from.clone(), to));
    }
    Ok(TrashTicket { moves })
}

/// Puts the files back, in the reverse order they left.
pub fn restore(ticket: &TrashTicket) -> Result<(), StoreError> {
    for (home, trashed) in ticket.moves.iter().rev() {
        if home.exists() {
            return Err(StoreError::Invalid {
                path: home.clone(),
                detail: "a file of that name is back in its place".into(),
            });
        }
        fs::rename(trashed, home).map_err(StoreError::io("restore", trashed))?;
    }
    if let Some(folder) = ticket.moves.first().and_then(|(_, to)| to.parent()) {
        // Only empty folders go; a failure leaves an empty folder behind, nothing more.
        let _ = fs::remove_dir(folder);
    }
    Ok(())
}
