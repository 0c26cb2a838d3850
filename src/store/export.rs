//! Copying gallery entries out: each image with its sidecar (and the mask
//! an edit kept), never over a file already there.

use std::fs;
use std::path::{Path, PathBuf};

use super::StoreError;
use super::atomic::{ensure_private_dir, write_new};
use super::gallery::SavedImage;

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exported {
    pub copied: usize,
    /// Already in the folder with the same bytes.
    pub present: usize,
}

pub fn export(images: &[SavedImage], folder: &Path) -> Result<Exported, StoreError> {
    ensure_private_dir(folder)?;
    let mut done = Exported::default();
    for image in images {
        let mut files = vec![image.path.clone(), image.sidecar_path.clone()];
        if let Some(mask) = &image.sidecar.mask {
            files.push(PathBuf::from(&mask.path));
        }
        let mut copied_any = false;
        for file in files.iter().filter(|f| f.is_file()) {
            copied_any |= copy_one(file, folder)?;
        }
        if copied_any {
            done.copied += 1;
        } else {
            done.present += 1;
        }
    }
    Ok(done)
}

/// Copies `file` into `folder`; `false` when the same file is already there.
/// A different file of the same name gets a numbered name instead.
fn copy_one(file: &Path, folder: &Path) -> Result<bool, StoreError> {
    let bytes = fs::read(file).map_err(StoreError::io("read", file))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into());
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
        None => (name.clone(), String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            name.clone()
        } else {
            format!("{stem}-{n}{ext}")
        };
        let target = folder.join(&candidate);
        match fs::read(&target) {
            Ok(existing) if existing == bytes => return Ok(false),
            Ok(_) => continue,
            Err(_) => {
                write_new(folder, &candidate, &bytes)?;
                return Ok(true);
            }
        }
    }
    Err(StoreError::Invalid {
        path: folder.join(name),
        detail: "too many files of this name".into(),
    })
}
