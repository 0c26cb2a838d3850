//! The Batches view (batches submitted to the Batch API, as the journal
//! keeps them and the API last reported them) and the question `B` asks
//! before a batch file runs: here, or on the Batch API, at what price.

use std::path::PathBuf;

use crate::api::batch_wire::{BatchStatus, RequestCounts};
use crate::api::cost::Estimate;

/// One submitted batch, as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    /// artty's own name for the submission.
    pub id: String,
    /// The API's id once it gave one, else artty's.
    pub name: String,
    /// The batch file, as shown to the user.
    pub source: String,
    pub status: Option<BatchStatus>,
    pub counts: RequestCounts,
    pub requests: usize,
    pub estimate_usd: Option<f64>,
    pub created: jiff::Timestamp,
    /// Lines saved and lines without an image, once fetched.
    pub fetched: Option<(usize, usize)>,
    /// Its failed lines were sent again.
    pub retried: bool,
}

impl BatchRow {
    /// Over on the API's side and not yet read into the gallery.
    pub fn ready(&self) -> bool {
        self.fetched.is_none() && self.status.as_ref().is_some_and(BatchStatus::is_final)
    }

    /// Still running on the API's side.
    pub fn running(&self) -> bool {
        self.fetched.is_none() && !self.status.as_ref().is_some_and(BatchStatus::is_final)
    }
}

/// The Batches view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchesView {
    /// Newest first.
    pub rows: Vec<BatchRow>,
    pub selected: usize,
    /// When the rows were read (ages are shown as of then).
    pub read_at: Option<jiff::Timestamp>,
    /// The server is being asked.
    pub asking: bool,
    /// Why the server could not be asked, last time.
    pub problem: Option<String>,
    /// The submission `x` was pressed on once: a second `x` cancels it.
    pub cancel_armed: Option<String>,
    /// Submissions being fetched or cancelled now.
    pub busy: Vec<String>,
}

impl BatchesView {
    pub fn selected_row(&self) -> Option<&BatchRow> {
        self.rows.get(self.selected)
    }
}

/// Why a batch file is read: to ask how to run it, or to run it here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStep {
    Choose,
    RunHere,
}

/// What `B` asks once the batch file is read: how to run its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchChoice {
    pub path: PathBuf,
    /// The file as shown.
    pub shown: String,
    /// Lines to run (neither done nor waiting in a batch).
    pub lines: usize,
    /// Lines that edit pictures: the Batch API takes them; here, only
    /// `artty batch FILE` does.
    pub edits: usize,
    /// Lines already in the gallery or waiting in a batch.
    pub skipped: usize,
    /// Lines that cannot be read.
    pub bad: usize,
    /// The demo server: neither way costs anything; the prices are OpenAI's.
    pub free: bool,
    /// Price run here, and on the Batch API; `None`: unknown for a model used.
    pub here: Option<Estimate>,
    pub batch_api: Option<Estimate>,
}
