//! File work for edits, off the UI thread: reading and fitting the input
//! images and the mask, reading a mask file into a grid, and completing a
//! typed path.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use bytes::Bytes;
use tokio::sync::mpsc::UnboundedSender;

use crate::action::Action;
use crate::api::catalog::EditRules;
use crate::api::request::sent_name;
use crate::edit::fit::{Fitted, fit_source};
use crate::edit::mask::picture_cells;
use crate::edit::prepare::prepare_fitted;
use crate::edit::{FitOptions, MaskGrid, MaskInput, mask_png};
use crate::images::cache::{ByteLru, Weigh};

/// Completions listed at most.
const COMPLETIONS_MAX: usize = 200;
/// Files that can be an edit's input (others are converted, if readable).
const IMAGE_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "avif"];

/// The mask to prepare: painted cells, or a file read as it is.
#[derive(Debug, Clone, PartialEq)]
pub enum MaskSpec {
    Painted { grid: MaskGrid, feather: u32 },
    File(PathBuf),
}

/// An edit's inputs as the draft holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct EditInputs {
    pub version: u64,
    pub sources: Vec<PathBuf>,
    pub mask: Option<MaskSpec>,
    pub rules: EditRules,
    pub fit: FitOptions,
    pub markup: Option<crate::edit::Markup>,
}

pub fn prepare_edit(inputs: EditInputs, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let version = inputs.version;
        let result = prepared(inputs).map(Arc::new);
        let _ = tx.send(Action::EditPrepared { version, result });
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

fn fitted_cache() -> &'static Mutex<ByteLru<FitKey, Kept>> {
    static CACHE: OnceLock<Mutex<ByteLru<FitKey, Kept>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(ByteLru::new(FITTED_BUDGET)))
}

fn fitted(path: &Path, rules: &EditRules, fit: FitOptions) -> Result<Fitted, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let key = FitKey {
        path: path.to_path_buf(),
        len: meta.len(),
        modified: meta.modified().ok(),
        how: format!("{rules:?}{fit:?}"),
    };
    let cache = fitted_cache();
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

fn prepared(inputs: EditInputs) -> Result<crate::edit::PreparedEdit, String> {
    let images = inputs
        .sources
        .iter()
        .map(|path| fitted(path, &inputs.rules, inputs.fit))
        .collect::<Result<Vec<_>, String>>()?;
    let mask = match inputs.mask {
        Some(MaskSpec::Painted { grid, feather }) => Some(MaskInput::Painted { grid, feather }),
        Some(MaskSpec::File(path)) => Some(MaskInput::File(read(&path)?)),
        None => None,
    };
    prepare_fitted(images, mask, inputs.markup.as_ref()).map_err(|e| e.to_string())
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
        let _ = tx.send(Action::MaskLoaded { path, result });
    });
}

/// Lists what a typed path could go on to: folders (ending in `/`) and
/// image files starting with what was typed. `~` is the home folder.
pub fn complete_path(text: String, any_file: bool, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let completions = completions(&text, any_file);
        let _ = tx.send(Action::PathCompleted { text, completions });
    });
}

/// `~/x` with the home folder in place of `~`.
pub fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ if text == "~" => {
            std::env::var_os("HOME").map_or_else(|| PathBuf::from(text), PathBuf::from)
        }
        _ => PathBuf::from(text),
    }
}

/// Folders and image files (or any file) whose names start as typed.
pub fn completions(text: &str, any_file: bool) -> Vec<String> {
    let (dir_part, prefix) = match text.rfind('/') {
        Some(at) => (&text[..=at], &text[at + 1..]),
        None => ("", text),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = entry.path().is_dir();
            let is_image = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            match (is_dir, is_image || any_file) {
                (true, _) => Some(format!("{dir_part}{name}/")),
                (false, true) => Some(format!("{dir_part}{name}")),
                _ => None,
            }
        })
        .collect();
    out.sort();
    out.truncate(COMPLETIONS_MAX);
    out
}

/// The longest text every completion starts with.
pub fn common_prefix(completions: &[String]) -> Option<String> {
    let first = completions.first()?;
    let mut len = first.len();
    for other in &completions[1..] {
        len = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    Some(first[..len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Some(Action::MaskLoaded { path: p, result }) => {
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
        let err = prepared(inputs).unwrap_err();
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
        write(30, 20);
        let first = fitted(&path, &rules, FitOptions::default()).unwrap();
        assert_eq!(first.original, (30, 20));
        assert_eq!(fitted(&path, &rules, FitOptions::default()).unwrap(), first);
        write(40, 20);
        let again = fitted(&path, &rules, FitOptions::default()).unwrap();
        assert_eq!(again.original, (40, 20), "not the stale fit");
    }

    #[test]
    fn completion_lists_folders_and_images_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("photos")).unwrap();
        for name in ["fox.png", "fox.txt", "fog.JPG", ".hidden.png"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let base = format!("{}/", dir.path().display());
        assert_eq!(
            completions(&format!("{base}fo"), false),
            vec![format!("{base}fog.JPG"), format!("{base}fox.png")]
        );
        assert_eq!(
            completions(&format!("{base}ph"), false),
            vec![format!("{base}photos/")]
        );
        assert!(completions("/no/such/dir/x", false).is_empty());
        assert_eq!(
            common_prefix(&[format!("{base}fog.JPG"), format!("{base}fox.png")]),
            Some(format!("{base}fo"))
        );
    }
}
