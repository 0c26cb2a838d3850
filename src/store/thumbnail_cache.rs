//! The thumbnail cache on disk: one PNG per image and box size, so opening
//! a gallery of thousands decodes small files, never full-size images.
//! The name hashes the image's path, length and modification time, so an
//! image replaced under the same name gets a new thumbnail. It is a cache:
//! files are written atomically but not fsynced, and a damaged one is
//! rebuilt.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::StoreError;

/// Where the thumbnail of `image` for a `width`×`height` box lives, or
/// `None` when the image cannot be read (its thumbnail is then not cached).
pub fn path_for(dir: &Path, image: &Path, width: u32, height: u32) -> Option<PathBuf> {
    let meta = fs::metadata(image).ok()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let hash = crate::util::stable_hash::of(&[
        &image.to_string_lossy(),
        &meta.len().to_string(),
        &modified.to_string(),
        &format!("{width}x{height}"),
    ]);
    Some(dir.join(format!("{hash:016x}-{width}x{height}.png")))
}

/// The cached bytes, if there are any.
pub fn read(path: &Path) -> Option<Vec<u8>> {
    super::local_file::read_own_file(path).ok()
}

/// Stores a thumbnail: written beside its final name, then renamed, so a
/// reader never sees half a file.
pub fn write(path: &Path, png: &[u8]) -> Result<(), StoreError> {
    super::atomic::replace_unsynced(path, png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_change_with_the_box_and_the_image() {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("a.png");
        fs::write(&image, b"one").unwrap();
        let small = path_for(dir.path(), &image, 240, 240).unwrap();
        let large = path_for(dir.path(), &image, 480, 480).unwrap();
        assert_ne!(small, large);
        fs::write(&image, b"longer").unwrap();
        assert_ne!(path_for(dir.path(), &image, 240, 240).unwrap(), small);
        assert_eq!(
            path_for(dir.path(), &dir.path().join("missing.png"), 1, 1),
            None
        );

        write(&small, b"png bytes").unwrap();
        assert_eq!(read(&small).unwrap(), b"png bytes");
    }
}
