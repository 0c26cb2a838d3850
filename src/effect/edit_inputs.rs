//! File work for edits, off the UI thread: reading and fitting the input
//! images and the mask, reading a mask file into a grid, and completing a
//! typed path.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use tokio::sync::mpsc::UnboundedSender;

use super::{EditInputs, MaskSpec};
use crate::action::{Action, FileResult};
use crate::api::catalog::EditRules;
use crate::api::request::sent_name;
use crate::edit::fit::{Fitted, fit_source};
use crate::edit::mask::picture_cells;
use crate::edit::prepare::prepare_fitted;
use crate::edit::{FitOptions, MaskInput, mask_png};
use crate::images::cache::{ByteLru, Weigh};

pub fn prepare_edit(inputs: EditInputs, cache: FittedCache, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let version = inputs.version;
        let result = prepared(&cache, inputs).map(Arc::new);
        let _ = tx.send(Action::File(FileResult::EditPrepared { version, result }));
    });
}

fn read(path: &Path) -> Result<Bytes, String> {
    crate::store::local_file::read_edit_input(path)
        .map(Bytes::from)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Sources fitted recently, by file and fitting, up to this many bytes:
/// changing the mask or the order does not fit every source again (a
/// large photo takes a second).
const FITTED_BUDGET: usize = 256 * 1024 * 1024;

/// A fitted source weighs what it will send.
struct Kept(Fitted);

impl Weigh for Kept {
    fn weight(&self) -> usize {
        self.0.image.bytes.len()
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct FitKey {
    path: PathBuf,
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The rules and options, as text: they are small and rarely change.
    how: String,
}

/// The runner's cache of fitted sources, shared with its edit tasks.
#[derive(Clone)]
pub struct FittedCache(Arc<Mutex<ByteLru<FitKey, Kept>>>);

impl Default for FittedCache {
    fn default() -> FittedCache {
        FittedCache(Arc::new(Mutex::new(ByteLru::new(FITTED_BUDGET))))
    }
}

fn fitted(
    cache: &FittedCache,
    path: &Path,
    rules: &EditRules,
    fit: FitOptions,
) -> Result<Fitted, String> {
    let (len, modified) = crate::store::local_file::stamp(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let key = FitKey {
        path: path.to_path_buf(),
        len,
        modified,
        how: format!("{rules:?}{fit:?}"),
    };
    let cache = &cache.0;
    if let Some(hit) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Ok(hit.0.clone());
    }
    let made = fit_source(&sent_name(path), read(path)?, rules, fit).map_err(|e| e.to_string())?;
    cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, Kept(made.clone()));
    Ok(made)
}

fn prepared(cache: &FittedCache, inputs: EditInputs) -> Result<crate::edit::PreparedEdit, String> {
    let images = inputs
        .sources
        .iter()
        .map(|path| fitted(cache, path, &inputs.rules, inputs.fit))
        .collect::<Result<Vec<_>, String>>()?;
    let mask = match inputs.mask {
        Some(MaskSpec::Painted { grid, feather }) => Some(MaskInput::Painted { grid, feather }),
        Some(MaskSpec::File(path)) => Some(MaskInput::File(read(&path)?)),
        None => None,
    };
    prepare_fitted(images, mask, inputs.markup.as_ref()).map_err(|e| e.to_string())
}

/// Reads a typed source far enough to know it is an image artty can send:
/// a missing file, a folder or a text file is refused before it joins the
/// list, not when the edit is prepared.
pub fn check_source(path: PathBuf, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let result = read(&path).and_then(|bytes| {
            crate::images::probe::probe(&bytes)
                .map(|_| ())
                .map_err(|e| format!("{} is not an image artty can send: {e}", path.display()))
        });
        let _ = tx.send(Action::File(FileResult::SourceChecked { path, result }));
    });
}

/// Reads a mask file into a grid sized as the painter would draw it.
pub fn load_mask(path: PathBuf, area: (u16, u16), cell: (u16, u16), tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let result = read(&path).and_then(|bytes| {
            let size = crate::images::probe::probe(&bytes).map_err(|e| e.to_string())?;
            let (cols, rows) = picture_cells(area, cell, (size.width, size.height));
            mask_png::load(&bytes, cols, rows)
                .map(|(grid, _)| grid)
                .map_err(|e| e.to_string())
        });
        let _ = tx.send(Action::File(FileResult::MaskLoaded { path, result }));
    });
}

/// Lists what a typed path could go on to: folders (ending in `/`) and
/// image files starting with what was typed. `~` is the home folder.
pub fn complete_path(text: String, any_file: bool, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let completions =
            crate::store::completions::completions(&text, any_file, home().as_deref());
        let _ = tx.send(Action::File(FileResult::PathCompleted {
            text,
            completions,
        }));
    });
}

/// `~/x` with the home folder in place of `~`.
pub fn expand_home(text: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    crate::util::paths::expand_home(text, home.as_deref())
}

/// `$HOME`, for completing `~/…` (the effects may ask the system).
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::MaskGrid;

    #[tokio::test]
    async fn a_mask_file_is_read_into_the_grid_the_painter_would_draw() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mask.png");
        let mut painted = MaskGrid::new(8, 4);
        painted.rect((1, 1), (3, 2), true);
        std::fs::write(&path, mask_png::export(&painted, 160, 80, 0).unwrap()).unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        // 8x8-pixel cells in an 8x8 area: a 2:1 image takes 8x4 cells.
        load_mask(path.clone(), (8, 8), (8, 8), tx);
        match rx.recv().await {
            Some(Action::File(FileResult::MaskLoaded { path: p, result })) => {
                assert_eq!(p, path);
                assert_eq!(result.unwrap(), painted);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_source_gone_from_disk_is_named_in_the_error() {
        let inputs = EditInputs {
            version: 1,
            sources: vec![PathBuf::from("/no/such/fox.png")],
            mask: None,
            rules: crate::edit::prepare::permissive_rules(),
            fit: FitOptions::default(),
            markup: None,
        };
        let err = prepared(&FittedCache::default(), inputs).unwrap_err();
        assert!(err.contains("cannot read /no/such/fox.png"), "{err}");
    }

    #[test]
    fn a_source_changed_on_disk_is_fitted_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        let write = |w: u32, h: u32| {
            image::RgbaImage::new(w, h).save(&path).unwrap();
        };
        let rules = crate::edit::prepare::permissive_rules();
        let cache = FittedCache::default();
        write(30, 20);
        let first = fitted(&cache, &path, &rules, FitOptions::default()).unwrap();
        assert_eq!(first.original, (30, 20));
        assert_eq!(
            fitted(&cache, &path, &rules, FitOptions::default()).unwrap(),
            first
        );
        write(40, 20);
        let again = fitted(&cache, &path, &rules, FitOptions::default()).unwrap();
        assert_eq!(again.original, (40, 20), "not the stale fit");
    }
}
