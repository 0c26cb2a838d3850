//! Where the fake server keeps uploaded files and batches: a folder, so a
//! batch outlives the process that served it (`--demo` starts a new server
//! every run, and a batch submitted in one run is fetched in the next), and
//! so an output file of gigabytes never sits in memory. The clock batches
//! run on is wall time plus an offset tests move forward.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};

/// An uploaded or generated file's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFile {
    pub id: String,
    pub bytes: u64,
    pub filename: String,
    pub purpose: String,
    pub created_at: i64,
}

impl StoredFile {
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id, "object": "file", "bytes": self.bytes, "created_at": self.created_at,
            "filename": self.filename, "purpose": self.purpose, "status": "processed",
            "expires_at": self.created_at + 30 * 24 * 3600,
        })
    }
}

/// How a batch will end, set by a test before it is created.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchPlan {
    /// It runs out of its window with half its lines done.
    #[serde(default)]
    pub expire: bool,
    /// The input file is refused while validating, with this message.
    #[serde(default)]
    pub fail: Option<String>,
    /// Every answer carries this one incompressible image (its PNG bytes
    /// are drawn once), so output files of any size can be made quickly.
    #[serde(default)]
    pub image_bytes: Option<usize>,
}

/// A batch as the fake server keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredBatch {
    pub id: String,
    pub input_file_id: String,
    pub endpoint: String,
    pub created_at: i64,
    pub metadata: serde_json::Value,
    pub plan: BatchPlan,
    pub total: u64,
    /// Seconds from creation to completion.
    pub seconds: u64,
    #[serde(default)]
    pub cancelled_at: Option<i64>,
    /// Set once it reached its end: the final status and its files.
    #[serde(default)]
    pub ended: Option<Ended>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ended {
    pub status: String,
    pub at: i64,
    pub completed: u64,
    pub failed: u64,
    pub output_file_id: Option<String>,
    pub error_file_id: Option<String>,
    #[serde(default)]
    pub usage: Option<serde_json::Value>,
}

/// The folder and the clock.
pub struct BatchStore {
    dir: PathBuf,
    /// Kept so a test server's folder goes with it.
    _temp: Option<tempfile::TempDir>,
    offset: AtomicI64,
    counter: AtomicI64,
}

impl BatchStore {
    /// In `dir`, or in a folder of its own removed with the server.
    pub fn new(dir: Option<PathBuf>) -> std::io::Result<BatchStore> {
        let (dir, temp) = match dir {
            Some(dir) => (dir, None),
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("artty-fake-batches-")
                    .tempdir()?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        std::fs::create_dir_all(dir.join("files"))?;
        std::fs::create_dir_all(dir.join("batches"))?;
        Ok(BatchStore {
            dir,
            _temp: temp,
            offset: AtomicI64::new(0),
            counter: AtomicI64::new(0),
        })
    }

    /// Seconds since the epoch on the batches' clock.
    pub fn now(&self) -> i64 {
        jiff::Timestamp::now().as_second() + self.offset.load(Ordering::SeqCst)
    }

    /// Moves the batches' clock forward (tests).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// A fresh id: unique across processes sharing the folder.
    pub fn new_id(&self, prefix: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let nanos = jiff::Timestamp::now().as_nanosecond();
        format!("{prefix}_{:x}{:x}{n:x}", nanos, std::process::id())
    }

    pub fn content_path(&self, id: &str) -> Option<PathBuf> {
        plain(id).then(|| self.dir.join("files").join(id))
    }

    fn meta_path(&self, id: &str) -> Option<PathBuf> {
        plain(id).then(|| self.dir.join("files").join(format!("{id}.json")))
    }

    fn batch_path(&self, id: &str) -> Option<PathBuf> {
        plain(id).then(|| self.dir.join("batches").join(format!("{id}.json")))
    }

    /// Keeps a file whose content is already at `content_path(id)`.
    pub fn add_file(&self, file: &StoredFile) -> std::io::Result<()> {
        let path = self.meta_path(&file.id).ok_or_else(bad_id)?;
        write_json(&path, file)
    }

    pub fn file(&self, id: &str) -> Option<StoredFile> {
        read_json(&self.meta_path(id)?)
    }

    pub fn delete_file(&self, id: &str) -> bool {
        let (Some(meta), Some(content)) = (self.meta_path(id), self.content_path(id)) else {
            return false;
        };
        let existed = std::fs::remove_file(meta).is_ok();
        let _ = std::fs::remove_file(content);
        existed
    }

    pub fn put_batch(&self, batch: &StoredBatch) -> std::io::Result<()> {
        let path = self.batch_path(&batch.id).ok_or_else(bad_id)?;
        write_json(&path, batch)
    }

    pub fn batch(&self, id: &str) -> Option<StoredBatch> {
        read_json(&self.batch_path(id)?)
    }

    /// Every batch, newest first.
    pub fn batches(&self) -> Vec<StoredBatch> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("batches")) else {
            return Vec::new();
        };
        let mut all: Vec<StoredBatch> = entries
            .flatten()
            .filter_map(|e| read_json(&e.path()))
            .collect();
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        all
    }
}

/// Ids are the server's own: letters, digits, `-` and `_` only, never a path.
fn plain(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn bad_id() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, "not an id")
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    let part = path.with_extension("part");
    std::fs::write(&part, json)?;
    std::fs::rename(part, path)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    if path.extension().is_none_or(|x| x != "json") {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}
