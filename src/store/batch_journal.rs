//! The Batch API journal: one file per batch submitted to OpenAI's Batch
//! API, under `data/batches/`. It is written before the batch is created
//! and again as soon as the API names it, so a closed terminal, a reboot
//! or a dropped SSH session loses nothing: every line's request, the
//! batch's id, where it stood when last asked, and what of it is already
//! in the gallery. Output files are downloaded beside it (`*.part` until
//! whole, then renamed), and uploads are remembered by content hash so a
//! reference picture is uploaded once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::atomic;
use super::error::StoreError;
use super::sidecar::SourceRef;
use crate::api::ImageParams;
use crate::api::batch_wire::{BatchStatus, RequestCounts};
use crate::api::catalog::Endpoint;

const VERSION: u32 = 1;
const UPLOADS: &str = "uploads.json";
/// A journal file is read whole; 50,000 lines of parameters fit well within.
const MAX_JOURNAL_BYTES: u64 = 256 * 1024 * 1024;

/// One batch as artty submitted it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub version: u32,
    /// artty's own name for it (the journal file's name).
    pub id: String,
    pub created: jiff::Timestamp,
    /// The server, as sidecars record it.
    pub server: String,
    /// Submitted to the demo server.
    #[serde(default)]
    pub demo: bool,
    /// The batch file, as shown to the user.
    pub source: String,
    /// The batch file's id: the group its images are saved in.
    pub batch: String,
    pub endpoint: Endpoint,
    pub input_file_id: Option<String>,
    /// The API's id, once it gave one.
    pub api_batch_id: Option<String>,
    /// As last read from the API.
    pub status: Option<BatchStatus>,
    #[serde(default)]
    pub counts: RequestCounts,
    /// What it should cost at Batch API prices, when known.
    pub estimate_usd: Option<f64>,
    pub lines: Vec<JournalLine>,
    /// Set once its results were read into the gallery.
    #[serde(default)]
    pub fetched: Option<Fetched>,
    /// The submissions its failed lines were sent again in.
    #[serde(default)]
    pub retried_as: Vec<String>,
    /// Never reached the API: its lines are free to be sent again.
    #[serde(default)]
    pub abandoned: bool,
}

/// One request of a batch, with what its images' sidecars will say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalLine {
    pub custom_id: String,
    /// The line of the batch file (1-based) and its key.
    pub number: usize,
    pub key: String,
    pub params: ImageParams,
    /// Exactly the body sent (input pictures as `{"file_id": …}`).
    pub body: serde_json::Value,
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    #[serde(default)]
    pub mask: Option<SourceRef>,
    #[serde(default)]
    pub markup: Option<SourceRef>,
}

/// What reading a finished batch gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fetched {
    pub at: Option<jiff::Timestamp>,
    /// Lines whose images were saved by this fetch or an earlier one.
    pub saved: usize,
    pub failed: Vec<FailedLine>,
}

/// A line that made no image, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedLine {
    pub custom_id: String,
    pub number: usize,
    pub reason: String,
}

impl Submission {
    /// A new submission of `lines`, not yet sent.
    pub fn new(
        id: String,
        server: String,
        demo: bool,
        source: String,
        batch: String,
        endpoint: Endpoint,
        lines: Vec<JournalLine>,
    ) -> Submission {
        Submission {
            version: VERSION,
            id,
            created: jiff::Timestamp::now(),
            server,
            demo,
            source,
            batch,
            endpoint,
            input_file_id: None,
            api_batch_id: None,
            status: None,
            counts: RequestCounts::default(),
            estimate_usd: None,
            lines,
            fetched: None,
            retried_as: Vec::new(),
            abandoned: false,
        }
    }

    /// Still to be read: sent, and not yet fetched to the end.
    pub fn open(&self) -> bool {
        !self.abandoned && self.fetched.is_none()
    }

    /// The name shown for it: the API's id once known.
    pub fn name(&self) -> &str {
        self.api_batch_id.as_deref().unwrap_or(&self.id)
    }
}

/// The folder of submissions.
pub struct BatchJournal {
    dir: PathBuf,
}

impl BatchJournal {
    pub fn open(dir: impl Into<PathBuf>) -> Result<BatchJournal, StoreError> {
        let dir = dir.into();
        atomic::ensure_private_dir(&dir)?;
        atomic::ensure_private_dir(&dir.join("files"))?;
        Ok(BatchJournal { dir })
    }

    /// A fresh submission id for part `part` of batch `batch`.
    pub fn new_id(batch: &str, part: usize) -> String {
        let now = jiff::Timestamp::now();
        format!("{batch}-{}-{part}", now.as_millisecond())
    }

    /// Writes a submission whole (replacing the one before): a crash
    /// leaves the old one or the new one, never half of either.
    pub fn save(&self, submission: &Submission) -> Result<(), StoreError> {
        let path = self.path_of(&submission.id)?;
        let json = serde_json::to_vec(submission)
            .map_err(|e| StoreError::io("write", &path)(std::io::Error::other(e)))?;
        atomic::replace(&path, &json)
    }

    /// Every submission, newest first; a file that cannot be read is skipped.
    pub fn all(&self) -> Vec<Submission> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut all: Vec<Submission> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| p.file_name().is_some_and(|n| n != UPLOADS))
            .filter_map(|p| read_json(&p))
            .collect();
        all.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
        all
    }

    /// The submission named by its artty id or its API batch id.
    pub fn find(&self, name: &str) -> Option<Submission> {
        self.all()
            .into_iter()
            .find(|s| s.id == name || s.api_batch_id.as_deref() == Some(name))
    }

    fn path_of(&self, id: &str) -> Result<PathBuf, StoreError> {
        if !plain(id) {
            return Err(StoreError::Invalid {
                path: self.dir.clone(),
                detail: format!("not a submission id: {}", crate::util::inert::inert(id, 80)),
            });
        }
        Ok(self.dir.join(format!("{id}.json")))
    }

    /// Where a batch's output (`kind` "output") or error file is kept once
    /// whole; `None` for an id that is not one.
    pub fn file_path(&self, api_batch_id: &str, kind: &str) -> Option<PathBuf> {
        plain(api_batch_id).then(|| {
            self.dir
                .join("files")
                .join(format!("{api_batch_id}-{kind}.jsonl"))
        })
    }

    /// The uploaded file that holds these bytes on `server`, if one was made.
    pub fn uploaded(&self, server: &str, sha256: &str) -> Option<String> {
        self.uploads().remove(&upload_key(server, sha256))
    }

    /// Remembers an upload.
    pub fn remember_upload(
        &self,
        server: &str,
        sha256: &str,
        file_id: &str,
    ) -> Result<(), StoreError> {
        let mut all = self.uploads();
        all.insert(upload_key(server, sha256), file_id.to_string());
        let path = self.dir.join(UPLOADS);
        let json = serde_json::to_vec(&all)
            .map_err(|e| StoreError::io("write", &path)(std::io::Error::other(e)))?;
        atomic::replace(&path, &json)
    }

    fn uploads(&self) -> BTreeMap<String, String> {
        read_json(&self.dir.join(UPLOADS)).unwrap_or_default()
    }
}

fn upload_key(server: &str, sha256: &str) -> String {
    format!("{server} {sha256}")
}

/// The hex SHA-256 of some bytes: the name an upload is remembered by.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ids made of letters, digits, `-` and `_` only, so never a path.
fn plain(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes =
        super::local_file::read(path, MAX_JOURNAL_BYTES, super::local_file::Named::ByArtty).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A download kept as `NAME.part` until it is whole, then renamed: a
/// fetch killed halfway leaves no file that looks finished.
pub struct PartFile {
    pub file: tokio::fs::File,
    part: PathBuf,
    whole: PathBuf,
}

impl PartFile {
    pub async fn create(whole: &Path) -> std::io::Result<PartFile> {
        let part = whole.with_extension("jsonl.part");
        let file = tokio::fs::File::create(&part).await?;
        Ok(PartFile {
            file,
            part,
            whole: whole.to_path_buf(),
        })
    }

    /// Flushed to the disk, then named as whole.
    pub async fn finish(self) -> std::io::Result<PathBuf> {
        use tokio::io::AsyncWriteExt;
        let mut file = self.file;
        file.flush().await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&self.part, &self.whole).await?;
        Ok(self.whole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: usize) -> JournalLine {
        JournalLine {
            custom_id: format!("line-{number}-k"),
            number,
            key: "k".into(),
            params: ImageParams::new("gpt-image-2"),
            body: serde_json::json!({ "model": "gpt-image-2" }),
            sources: Vec::new(),
            mask: None,
            markup: None,
        }
    }

    #[test]
    fn submissions_are_kept_found_and_listed_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let journal = BatchJournal::open(dir.path().join("batches")).unwrap();
        let mut first = Submission::new(
            "batch-1-100-0".into(),
            "https://api.openai.com/v1".into(),
            false,
            "prompts.txt".into(),
            "batch-1".into(),
            Endpoint::Generations,
            vec![line(1), line(2)],
        );
        journal.save(&first).unwrap();
        let mut second = first.clone();
        second.id = "batch-1-200-0".into();
        second.created = first.created + jiff::SignedDuration::from_secs(5);
        journal.save(&second).unwrap();
        first.api_batch_id = Some("batch_abc".into());
        journal.save(&first).unwrap();
        let all = journal.all();
        assert_eq!(
            all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["batch-1-200-0", "batch-1-100-0"]
        );
        assert_eq!(journal.find("batch_abc").unwrap().lines.len(), 2);
        assert!(journal.find("nothing").is_none());
        let mut bad = first.clone();
        bad.id = "../escape".into();
        assert!(journal.save(&bad).is_err(), "an id is never a path");
        assert!(journal.file_path("../x", "output").is_none());
    }

    #[test]
    fn uploads_are_remembered_per_server() {
        let dir = tempfile::tempdir().unwrap();
        let journal = BatchJournal::open(dir.path()).unwrap();
        let sha = sha256_hex(b"picture");
        assert_eq!(sha.len(), 64);
        journal.remember_upload("a", &sha, "file-1").unwrap();
        assert_eq!(journal.uploaded("a", &sha).as_deref(), Some("file-1"));
        assert_eq!(journal.uploaded("b", &sha), None);
        assert!(
            journal.all().is_empty(),
            "the upload list is not a submission"
        );
    }
}
