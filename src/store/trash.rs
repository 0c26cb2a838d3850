//! Deleting gallery entries to a trash folder, so a delete can be undone.
//! The sidecar moves first and comes back last: a crash in between leaves
//! an image without a sidecar, which the gallery does not list, never a
//! listed entry without its image.
//!
//! A gallery on another filesystem than the trash (a `--out` folder on a
//! USB disk) cannot be renamed into it; its entries go to a trash folder
//! inside the gallery instead, `.artty-trash/`, which no scan lists.

use std::fs;
use std::path::{Path, PathBuf};

use super::StoreError;
use super::atomic::ensure_private_dir;

/// Where each file went, so it can be put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashTicket {
    pub moves: Vec<(PathBuf, PathBuf)>,
}

/// The trash folder beside a gallery on another filesystem.
pub const LOCAL_TRASH: &str = ".artty-trash";

/// Moves `files` (sidecar first) into a new folder under `trash_root`, or
/// under the gallery's own `.artty-trash/` when that is another filesystem.
pub fn trash(trash_root: &Path, files: &[PathBuf]) -> Result<TrashTicket, StoreError> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    let name = format!("{stamp}-{:06x}", fastrand::u32(..0xff_ffff));
    let mut folder = trash_root.join(&name);
    ensure_private_dir(&folder)?;
    let mut moves = Vec::with_capacity(files.len());
    for from in files {
        let file_name = from.file_name().unwrap_or(from.as_os_str());
        let mut moved = fs::rename(from, folder.join(file_name));
        if moves.is_empty()
            && let Err(e) = &moved
            && e.kind() == std::io::ErrorKind::CrossesDevices
            && let Some(gallery) = from.parent()
        {
            let _ = fs::remove_dir(&folder);
            folder = gallery.join(LOCAL_TRASH).join(&name);
            ensure_private_dir(&folder)?;
            moved = fs::rename(from, folder.join(file_name));
        }
        if let Err(e) = moved {
            if moves.is_empty() {
                // Nothing moved: no empty folder is left in the trash.
                let _ = fs::remove_dir(&folder);
            }
            return Err(StoreError::io("move to the trash", from)(e));
        }
        moves.push((from.clone(), folder.join(file_name)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// /dev/shm is a tmpfs: another filesystem than the temp folder's disk.
    #[test]
    fn a_gallery_on_another_filesystem_is_trashed_beside_itself_and_restored() {
        let trash_root = tempfile::tempdir().unwrap();
        let gallery = tempfile::tempdir_in("/dev/shm").unwrap();
        let device = |p: &Path| fs::metadata(p).unwrap().dev();
        assert_ne!(
            device(trash_root.path()),
            device(gallery.path()),
            "two filesystems"
        );
        let files = [gallery.path().join("a.json"), gallery.path().join("a.png")];
        for file in &files {
            fs::write(file, b"x").unwrap();
        }
        let ticket = trash(trash_root.path(), &files).unwrap();
        assert!(files.iter().all(|f| !f.exists()));
        assert!(
            ticket.moves[0]
                .1
                .starts_with(gallery.path().join(LOCAL_TRASH))
        );
        assert_eq!(
            fs::read_dir(trash_root.path()).unwrap().count(),
            0,
            "no empty folder"
        );
        restore(&ticket).unwrap();
        assert!(files.iter().all(|f| f.exists()));
    }

    #[test]
    fn a_failed_move_leaves_no_empty_folder() {
        let trash_root = tempfile::tempdir().unwrap();
        let missing = trash_root.path().join("gone.json");
        assert!(trash(&trash_root.path().join("t"), &[missing]).is_err());
        assert_eq!(
            fs::read_dir(trash_root.path().join("t")).unwrap().count(),
            0
        );
    }
}
