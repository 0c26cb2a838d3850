//! What the fake server remembers: queued faults, every request it saw, and
//! the images it serves by URL.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;

use super::batch_store::{BatchPlan, BatchStore};
use super::faults::Fault;
use crate::api::catalog::Catalog;

/// A file part of a multipart request, as received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedFile {
    pub field: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// One request as the server saw it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Header names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub json: Option<serde_json::Value>,
    pub fields: Vec<(String, String)>,
    pub files: Vec<RecordedFile>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// True if any credential header arrived.
    pub fn carried_credentials(&self) -> bool {
        ["authorization", "openai-organization", "openai-project"]
            .iter()
            .any(|h| self.header(h).is_some())
    }
}

/// Settings of a fake server.
#[derive(Debug, Clone)]
pub struct FakeOptions {
    /// When set, only this bearer key is accepted; otherwise any non-empty key is.
    pub accepted_key: Option<String>,
    pub catalog: Catalog,
    /// Time taken per answer and between stream events, so `--demo` shows
    /// each stage of a request the way a real server paces them.
    pub pace: Option<std::time::Duration>,
    /// Keep every request and every hosted image (tests read them back).
    /// Off for long runs, where each image is forgotten once downloaded,
    /// so the server's memory says nothing about its client's.
    pub keep_history: bool,
    /// Output formats this "account" has no access to (gif, svg): asked
    /// for, they are refused as the API refuses them.
    pub denied_formats: Vec<String>,
    /// Serve as an Azure OpenAI resource with this `api-version` (see
    /// `fake::azure`) instead of at OpenAI's paths.
    pub azure: Option<String>,
    /// Seconds a batch takes from creation to completion, on the batches'
    /// clock (tests move it with `FakeServer::advance_batch_clock`).
    pub batch_seconds: u64,
    /// Where files and batches are kept; `None`: a folder removed with the
    /// server. `--demo` keeps one under the data folder, so a batch
    /// submitted in one run can be fetched in the next.
    pub batch_dir: Option<std::path::PathBuf>,
    /// How every batch ends unless a test plans the next one otherwise.
    pub batch_plan: BatchPlan,
}

impl Default for FakeOptions {
    fn default() -> FakeOptions {
        FakeOptions {
            accepted_key: None,
            catalog: Catalog::builtin(),
            pace: None,
            keep_history: true,
            denied_formats: Vec::new(),
            azure: None,
            batch_seconds: 3600,
            batch_dir: None,
            batch_plan: BatchPlan::default(),
        }
    }
}

/// `ARTTY_DEMO_DENY=gif,svg`: formats the demo server refuses, so the
/// message for an account without access can be seen.
pub fn denied_formats_from_env() -> Vec<String> {
    std::env::var("ARTTY_DEMO_DENY")
        .unwrap_or_default()
        .split(',')
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| !f.is_empty())
        .collect()
}

/// `ARTTY_DEMO_BATCH=expire`: every demo batch runs out of its window
/// halfway, so what an expired batch reports can be seen.
pub fn demo_batch_plan_from_env() -> BatchPlan {
    BatchPlan {
        expire: std::env::var("ARTTY_DEMO_BATCH").is_ok_and(|v| v.trim() == "expire"),
        ..BatchPlan::default()
    }
}

pub struct FakeState {
    pub options: FakeOptions,
    pub files_base: String,
    faults: Mutex<VecDeque<Fault>>,
    download_faults: Mutex<VecDeque<Fault>>,
    /// Faults for requests with a given prompt, so concurrent jobs each
    /// meet their own (the soak test's plan).
    faults_by_prompt: Mutex<HashMap<String, VecDeque<Fault>>>,
    download_faults_by_prompt: Mutex<HashMap<String, VecDeque<Fault>>>,
    /// The prompt each hosted file was made for.
    file_prompts: Mutex<HashMap<String, String>>,
    requests: Mutex<Vec<RecordedRequest>>,
    downloads: Mutex<Vec<RecordedRequest>>,
    files: Mutex<HashMap<String, (Bytes, &'static str)>>,
    /// Uploaded files and batches, on disk.
    pub batches: BatchStore,
    /// One batch is settled (run and written out) at a time, so two
    /// requests arriving as it comes due do not both run it.
    pub settling: tokio::sync::Mutex<()>,
    next_plan: Mutex<Option<BatchPlan>>,
}

/// A poisoned lock only means a handler panicked; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeState {
    pub fn new(options: FakeOptions, files_base: String) -> std::io::Result<FakeState> {
        let batches = BatchStore::new(options.batch_dir.clone())?;
        Ok(FakeState {
            options,
            files_base,
            faults: Mutex::default(),
            download_faults: Mutex::default(),
            faults_by_prompt: Mutex::default(),
            download_faults_by_prompt: Mutex::default(),
            file_prompts: Mutex::default(),
            requests: Mutex::default(),
            downloads: Mutex::default(),
            files: Mutex::default(),
            batches,
            settling: tokio::sync::Mutex::new(()),
            next_plan: Mutex::default(),
        })
    }

    /// Sets how the next batch created will end.
    pub fn plan_next_batch(&self, plan: BatchPlan) {
        *lock(&self.next_plan) = Some(plan);
    }

    /// The plan for a batch being created now.
    pub fn take_batch_plan(&self) -> BatchPlan {
        lock(&self.next_plan)
            .take()
            .unwrap_or_else(|| self.options.batch_plan.clone())
    }

    pub fn push_fault(&self, fault: Fault) {
        lock(&self.faults).push_back(fault);
    }

    pub fn push_download_fault(&self, fault: Fault) {
        lock(&self.download_faults).push_back(fault);
    }

    pub fn push_fault_for(&self, prompt: &str, fault: Fault) {
        push_keyed(&self.faults_by_prompt, prompt, fault);
    }

    pub fn push_download_fault_for(&self, prompt: &str, fault: Fault) {
        push_keyed(&self.download_faults_by_prompt, prompt, fault);
    }

    pub fn next_fault(&self) -> Option<Fault> {
        lock(&self.faults).pop_front()
    }

    /// The next fault queued for this prompt, else the next one queued for any request.
    pub fn next_fault_for(&self, prompt: Option<&str>) -> Option<Fault> {
        pop_keyed(&self.faults_by_prompt, prompt).or_else(|| self.next_fault())
    }

    /// The next fault queued for this prompt only (a batch line's: the
    /// queue for any request belongs to the requests the client sends).
    pub fn next_fault_keyed(&self, prompt: Option<&str>) -> Option<Fault> {
        pop_keyed(&self.faults_by_prompt, prompt)
    }

    /// The next fault for a download of `file`: one queued for the prompt it
    /// was made for, else the next one queued for any download.
    pub fn next_download_fault_for(&self, file: &str) -> Option<Fault> {
        let prompt = lock(&self.file_prompts).get(file).cloned();
        pop_keyed(&self.download_faults_by_prompt, prompt.as_deref())
            .or_else(|| lock(&self.download_faults).pop_front())
    }

    pub fn record(&self, request: RecordedRequest) {
        if self.options.keep_history {
            lock(&self.requests).push(request);
        }
    }

    pub fn record_download(&self, request: RecordedRequest) {
        if self.options.keep_history {
            lock(&self.downloads).push(request);
        }
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    pub fn downloads(&self) -> Vec<RecordedRequest> {
        lock(&self.downloads).clone()
    }

    /// Keeps an image to serve by URL; returns its URL (with a fake signature).
    pub fn host_file(
        &self,
        name: String,
        bytes: Bytes,
        mime: &'static str,
        prompt: &str,
    ) -> String {
        let url = format!(
            "{}/files/{name}?se=2026-01-01&sig=FAKE-SIGNATURE",
            self.files_base
        );
        lock(&self.file_prompts).insert(name.clone(), prompt.to_string());
        lock(&self.files).insert(name, (bytes, mime));
        url
    }

    pub fn file(&self, name: &str) -> Option<(Bytes, &'static str)> {
        if self.options.keep_history {
            lock(&self.files).get(name).cloned()
        } else {
            lock(&self.file_prompts).remove(name);
            lock(&self.files).remove(name)
        }
    }
}

fn push_keyed(map: &Mutex<HashMap<String, VecDeque<Fault>>>, key: &str, fault: Fault) {
    lock(map)
        .entry(key.to_string())
        .or_default()
        .push_back(fault);
}

fn pop_keyed(map: &Mutex<HashMap<String, VecDeque<Fault>>>, key: Option<&str>) -> Option<Fault> {
    let mut map = lock(map);
    let queue = map.get_mut(key?)?;
    let fault = queue.pop_front();
    if queue.is_empty() {
        map.remove(key?);
    }
    fault
}
