//! The job journal: one small file per request in flight, written before the
//! request is sent and removed once its images are saved or its failure is
//! shown. Whatever is left when artty starts was cut short by a kill, a crash
//! or a dropped SSH session, and the app shows it as interrupted instead of
//! forgetting it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::atomic::{ensure_private_dir, remove_leftovers, replace};
use super::local_file::{self, Named};
use crate::api::{Endpoint, ImageParams};

const JOURNAL_VERSION: u32 = 1;

/// A request as the journal records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub version: u32,
    /// The file's stem; unique across runs.
    pub name: String,
    /// The process that sent it, so a second artty does not claim it.
    pub pid: u32,
    pub started: jiff::Timestamp,
    pub endpoint: Endpoint,
    pub params: ImageParams,
    pub server: String,
    /// True once the request went on the wire: from then on it may be billed.
    pub sent: bool,
    /// Set when artty was stopped by a signal while this was in flight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<String>,
}

impl JournalEntry {
    pub fn new(name: String, endpoint: Endpoint, params: ImageParams, server: String) -> Self {
        JournalEntry {
            version: JOURNAL_VERSION,
            name,
            pid: std::process::id(),
            started: jiff::Timestamp::now(),
            endpoint,
            params,
            server,
            sent: false,
            stopped_by: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    /// The signal that stopped this process, once it has. Writes hold this
    /// lock, so a job's write that races the signal cannot overwrite the
    /// mark: it either lands before the marking pass rewrites it, or it
    /// carries the mark itself.
    stopped: Arc<Mutex<Option<String>>>,
}

impl Journal {
    /// Opens (and creates) the folder, removing torn temp files.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Journal, StoreError> {
        let dir = dir.into();
        ensure_private_dir(&dir)?;
        remove_leftovers(&dir)?;
        Ok(Journal {
            dir,
            stopped: Arc::default(),
        })
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// Writes or rewrites an entry, atomically; after a signal, with the
    /// signal's mark.
    pub fn record(&self, entry: &JournalEntry) -> Result<(), StoreError> {
        let stopped = self.stopped.lock().unwrap_or_else(PoisonError::into_inner);
        match stopped.as_deref() {
            Some(signal) if entry.stopped_by.is_none() => {
                let mut marked = entry.clone();
                marked.stopped_by = Some(signal.to_string());
                self.write(&marked)
            }
            _ => self.write(entry),
        }
    }

    fn write(&self, entry: &JournalEntry) -> Result<(), StoreError> {
        let path = self.path_of(&entry.name);
        let json = serde_json::to_vec_pretty(entry).map_err(|e| StoreError::Invalid {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        replace(&path, &json)
    }

    /// Removes an entry; a missing one is not an error.
    pub fn forget(&self, name: &str) -> Result<(), StoreError> {
        match fs::remove_file(self.path_of(name)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io("remove", self.path_of(name))(e)),
        }
    }

    /// Entries left by processes that are no longer running, oldest first,
    /// leaving out this run's own (named `own_prefix…`). Files that do not
    /// parse are skipped: a journal must never stop the app.
    pub fn leftovers(&self, own_prefix: &str) -> Result<Vec<JournalEntry>, StoreError> {
        let entries = fs::read_dir(&self.dir).map_err(StoreError::io("read", &self.dir))?;
        let mut found: Vec<JournalEntry> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| read_entry(&p))
            .filter(|e| !e.name.starts_with(own_prefix) && !is_running_elsewhere(e.pid))
            .collect();
        found.sort_by(|a, b| a.started.cmp(&b.started).then(a.name.cmp(&b.name)));
        Ok(found)
    }

    /// Marks every entry of this process as stopped by `signal`, and every
    /// entry written from now on.
    pub fn mark_stopped(&self, signal: &str) -> Result<usize, StoreError> {
        let mut stopped = self.stopped.lock().unwrap_or_else(PoisonError::into_inner);
        *stopped = Some(signal.to_string());
        let own = std::process::id();
        let mut marked = 0;
        let entries = fs::read_dir(&self.dir).map_err(StoreError::io("read", &self.dir))?;
        for path in entries.flatten().map(|e| e.path()) {
            let Some(mut entry) = read_entry(&path).filter(|e| e.pid == own) else {
                continue;
            };
            entry.stopped_by = Some(signal.to_string());
            self.write(&entry)?;
            marked += 1;
        }
        Ok(marked)
    }
}

fn read_entry(path: &Path) -> Option<JournalEntry> {
    let bytes = local_file::read(path, local_file::limit::SIDECAR, Named::ByArtty).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Another live artty owns entries with its pid. Our own pid counts as not
/// running elsewhere: this run's entries are left out by name, so an entry
/// with our pid is from an earlier process that had the same number.
/// Where `/proc` is missing every other pid counts as gone, so interrupted
/// requests are never hidden.
fn is_running_elsewhere(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && super::atomic::process_alive(pid)
}

/// `<run tag>-<job number>`, unique across runs and sortable by start
/// time: the run tag holds the start time and the pid.
pub fn journal_name(run_tag: &str, job: u64) -> String {
    format!("{run_tag}-{job:04}")
}
