//! The gallery index: every sidecar of a gallery folder in one file in the
//! cache folder, so start-up reads one file instead of thousands.
//!
//! Sidecars stay the source of truth. The index is trusted as it stands only
//! while the gallery folder has not changed since it was written (its
//! modification time, which every save, delete and rename moves); otherwise
//! the folder is listed and only new or changed sidecars are read. A missing,
//! unreadable or corrupt index is rebuilt from the sidecars.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::atomic::replace_unsynced;
use super::local_file::{self, Named};
use super::sidecar::Sidecar;

const FORMAT: u32 = 1;

/// A folder changed this close before the index was written might have
/// changed again within the same timestamp tick: not trusted as it stands.
const RACY_NS: i128 = 2_000_000_000;

/// Where the index of one gallery folder lives.
#[derive(Debug, Clone)]
pub struct GalleryIndex {
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Header {
    artty_gallery_index: u32,
    /// The gallery folder, to tell two folders' indexes apart.
    dir: String,
    /// The folder's modification time when it was listed.
    dir_mtime_ns: i128,
    /// When the index was written.
    written_ns: i128,
    count: usize,
}

/// One sidecar as listed: its file name, size and time, and its contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexEntry {
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "t")]
    pub mtime_ns: i128,
    #[serde(rename = "b")]
    pub len: u64,
    #[serde(rename = "s")]
    pub sidecar: Sidecar,
}

/// An index as read back: the text, parsed a part at a time so the first
/// page can be shown before the rest is read.
pub struct IndexFile {
    text: Vec<u8>,
    /// Where each entry's line is in `text`, newest entry first.
    lines: Vec<(usize, usize)>,
    /// The folder has not changed since the index was written.
    pub fresh: bool,
}

impl IndexFile {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Entries `range` (clamped), parsed.
    pub fn parse(&self, range: std::ops::Range<usize>) -> Result<Vec<IndexEntry>, String> {
        let end = range.end.min(self.lines.len());
        self.lines[range.start.min(end)..end]
            .iter()
            .map(|&(from, to)| {
                serde_json::from_slice(&self.text[from..to]).map_err(|e| format!("corrupt ({e})"))
            })
            .collect()
    }
}

impl GalleryIndex {
    /// The index of `gallery_dir`, kept under `cache_dir`.
    pub fn new(cache_dir: &Path, gallery_dir: &Path) -> GalleryIndex {
        let key = crate::util::stable_hash::of(&[&gallery_dir.to_string_lossy()]);
        GalleryIndex {
            path: cache_dir.join(format!("gallery-index-{key:016x}.jsonl")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the index of `dir`; the error says why it cannot be used.
    pub fn read(&self, dir: &Path) -> Result<IndexFile, String> {
        let text = match local_file::read(&self.path, local_file::limit::INDEX, Named::ByArtty) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("missing".into()),
            Err(e) => return Err(format!("unreadable ({e})")),
        };
        let mut lines = line_spans(&text);
        let header: Header = lines
            .next()
            .and_then(|(from, to)| serde_json::from_slice(&text[from..to]).ok())
            .ok_or("corrupt (no header)")?;
        if header.artty_gallery_index != FORMAT {
            return Err(format!(
                "of another version ({})",
                header.artty_gallery_index
            ));
        }
        if header.dir != dir.to_string_lossy() {
            return Err("of another folder".into());
        }
        let lines: Vec<(usize, usize)> = lines.collect();
        if lines.len() != header.count {
            return Err("corrupt (cut short)".into());
        }
        let fresh = dir_mtime_ns(dir) == Some(header.dir_mtime_ns)
            && header.written_ns - header.dir_mtime_ns > RACY_NS;
        Ok(IndexFile { text, lines, fresh })
    }

    /// Writes the index, entries newest first; a cache, so not synced to disk.
    pub fn write(
        &self,
        dir: &Path,
        dir_mtime_ns: i128,
        entries: &[IndexEntry],
    ) -> Result<(), StoreError> {
        let header = Header {
            artty_gallery_index: FORMAT,
            dir: dir.to_string_lossy().into_owned(),
            dir_mtime_ns,
            written_ns: ns_of(SystemTime::now()),
            count: entries.len(),
        };
        let mut out = Vec::with_capacity(entries.len() * 1024);
        // Writing JSON to memory cannot fail.
        let _ = serde_json::to_writer(&mut out, &header);
        out.push(b'\n');
        for entry in entries {
            let _ = serde_json::to_writer(&mut out, entry);
            out.push(b'\n');
        }
        replace_unsynced(&self.path, &out)
    }
}

/// The start and end of each non-empty line.
fn line_spans(text: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while from < text.len() {
            let to = text[from..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(text.len(), |at| from + at);
            let span = (from, to);
            from = to + 1;
            if span.1 > span.0 {
                return Some(span);
            }
        }
        None
    })
}

pub fn ns_of(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

pub fn dir_mtime_ns(dir: &Path) -> Option<i128> {
    fs::metadata(dir).and_then(|m| m.modified()).ok().map(ns_of)
}

/// Index entries by sidecar file name, for reconciling with the folder.
pub fn by_name(entries: Vec<IndexEntry>) -> HashMap<String, IndexEntry> {
    entries.into_iter().map(|e| (e.name.clone(), e)).collect()
}
