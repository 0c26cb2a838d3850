//! Copying gallery entries out: each image with its sidecar (and the mask
//! an edit kept), never over a file already there.

use std::path::{Path, PathBuf};

use super::StoreError;
use super::atomic::{ensure_private_dir, write_new};
use super::local_file;
use super::sidecar::SavedImage;

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
        if let Some(mask) = image
            .sidecar
            .mask
            .as_ref()
            .and_then(|m| kept_mask(image, &m.path))
        {
            files.push(mask);
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

/// The mask a sidecar names, when it is one artty kept: a PNG file named
/// `…-mask.png` in the image's own folder. A sidecar is text anyone could
/// have written; a path elsewhere (`~/.ssh/id_ed25519`) is never copied.
fn kept_mask(image: &SavedImage, named: &str) -> Option<PathBuf> {
    let folder = std::fs::canonicalize(image.path.parent()?).ok()?;
    let mask = std::fs::canonicalize(named).ok()?;
    let name = mask.file_name()?.to_str()?;
    if mask.parent() != Some(folder.as_path()) || !name.ends_with("-mask.png") {
        return None;
    }
    let bytes = local_file::read_own_file(&mask).ok()?;
    let is_png = crate::images::probe::ImageFormat::sniff(&bytes)
        == Some(crate::images::probe::ImageFormat::Png);
    is_png.then_some(mask)
}

/// Copies `file` into `folder`; `false` when the same file is already there.
/// A different file of the same name gets a numbered name instead.
fn copy_one(file: &Path, folder: &Path) -> Result<bool, StoreError> {
    let bytes = local_file::read_own_file(file).map_err(StoreError::io("read", file))?;
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
        match local_file::read_own_file(&target) {
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
