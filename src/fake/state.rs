//! What the fake server remembers: queued faults, every request it saw, and
//! the images it serves by URL.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;

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
}

impl Default for FakeOptions {
    fn default() -> FakeOptions {
        FakeOptions {
            accepted_key: None,
            catalog: Catalog::builtin(),
            pace: None,
        }
    }
}

pub struct FakeState {
    pub options: FakeOptions,
    pub files_base: String,
    faults: Mutex<VecDeque<Fault>>,
    download_faults: Mutex<VecDeque<Fault>>,
    requests: Mutex<Vec<RecordedRequest>>,
    downloads: Mutex<Vec<RecordedRequest>>,
    files: Mutex<HashMap<String, (Bytes, &'static str)>>,
}

/// A poisoned lock only means a handler panicked; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeState {
    pub fn new(options: FakeOptions, files_base: String) -> FakeState {
        FakeState {
            options,
            files_base,
            faults: Mutex::default(),
            download_faults: Mutex::default(),
            requests: Mutex::default(),
            downloads: Mutex::default(),
            files: Mutex::default(),
        }
    }

    pub fn push_fault(&self, fault: Fault) {
        lock(&self.faults).push_back(fault);
    }

    pub fn push_download_fault(&self, fault: Fault) {
        lock(&self.download_faults).push_back(fault);
    }

    pub fn next_fault(&self) -> Option<Fault> {
        lock(&self.faults).pop_front()
    }

    pub fn next_download_fault(&self) -> Option<Fault> {
        lock(&self.download_faults).pop_front()
    }

    pub fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
    }

    pub fn record_download(&self, request: RecordedRequest) {
        lock(&self.downloads).push(request);
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    pub fn downloads(&self) -> Vec<RecordedRequest> {
        lock(&self.downloads).clone()
    }

    /// Keeps an image to serve by URL; returns its URL (with a fake signature).
    pub fn host_file(&self, name: String, bytes: Bytes, mime: &'static str) -> String {
        let url = format!(
            "{}/files/{name}?se=2026-01-01&sig=FAKE-SIGNATURE",
            self.files_base
        );
        lock(&self.files).insert(name, (bytes, mime));
        url
    }

    pub fn file(&self, name: &str) -> Option<(Bytes, &'static str)> {
        lock(&self.files).get(name).cloned()
    }
}
