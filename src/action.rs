//! Everything that can change the model: what the user asked for (from the
//! keymap, the mouse, the terminal) and what background work reported.
//! Intents are imperative, results past tense.

use crossterm::event::KeyEvent;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::api::cost::Estimate;

use crate::edit::{MaskGrid, PreparedEdit};
use crate::images::prepared::Prepared;
use crate::keymap::Command;
use crate::model::batches::{BatchRow, BatchStep};
use crate::model::jobs::PartialImage;
use crate::model::jobs::{JobFailure, JobId, Stage};
use crate::model::thumbs::ThumbKey;
use crate::store::journal::JournalEntry;
use crate::store::sidecar::SavedImage;
use crate::store::trash::TrashTicket;

#[derive(Debug, Clone)]
pub enum Action {
    /// A named command from the keymap.
    Run(Command),
    /// A key for the text field that has the keys.
    Type(KeyEvent),
    Paste(String),
    Click {
        column: u16,
        row: u16,
    },
    Scroll {
        down: bool,
        column: u16,
        row: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Animation frame; only sent while jobs run.
    Tick,
    /// The selection has rested: the preview that waited follows it.
    Rested,

    /// The user's editor gave the prompt back (or failed to start).
    EditorClosed(Result<String, String>),
    /// The terminal answered late and can draw differently (a kitty or
    /// sixel answer after start-up, the cell size).
    TerminalImages(crate::images::graphics::TerminalImages),
    /// Mouse in the painter: paint (or erase) at a screen cell.
    Paint {
        column: u16,
        row: u16,
        erase: bool,
    },

    /// Results, by the work they come from.
    Job(JobResult),
    Gallery(GalleryResult),
    Key(KeyResult),
    File(FileResult),
    Batches(BatchesResult),
    /// A background step failed in a way the user should hear about.
    Failed(String),
    /// A background step finished with something to say.
    Noted(String),
}

/// What a running job (or the journal of jobs a stopped artty left) reports.
#[derive(Debug, Clone)]
pub enum JobResult {
    StageChanged {
        id: JobId,
        stage: Stage,
    },
    Saved {
        id: JobId,
        images: Vec<SavedImage>,
        /// What was lost on the way, when some images did not arrive.
        warning: Option<String>,
    },
    Failed {
        id: JobId,
        failure: JobFailure,
    },
    Cancelled {
        id: JobId,
    },
    /// A streaming job's partial image, decoded and shrunk.
    PartialImage {
        id: JobId,
        image: PartialImage,
    },
    /// Requests a stopped artty left in flight, read from the journal.
    Interrupted(Vec<JournalEntry>),
}

/// What reading, changing or drawing the gallery reports.
#[derive(Debug, Clone)]
pub enum GalleryResult {
    /// The whole gallery, newest first.
    Loaded(Vec<SavedImage>),
    /// The newest entries, read first so they show at once; `total` is
    /// the whole gallery's count as last indexed.
    FirstPage {
        images: Vec<SavedImage>,
        total: usize,
    },
    Trashed {
        image: Box<SavedImage>,
        ticket: TrashTicket,
    },
    Restored {
        image: Box<SavedImage>,
    },
    /// A favourite mark could not be written to the sidecar: undone.
    FavouriteNotSaved {
        path: PathBuf,
        error: String,
    },
    ThumbnailMade {
        key: ThumbKey,
        result: Result<Arc<Prepared>, String>,
    },
}

/// What checking, applying or forgetting the API key reports.
#[derive(Debug, Clone)]
pub enum KeyResult {
    Checked(Result<KeyReport, String>),
    Applied {
        masked: String,
        source: String,
        note: String,
        /// The server now in use, for the checks, the sidecars and costs.
        server: String,
        is_openai: bool,
    },
    Forgotten {
        note: String,
    },
    /// The server's model list, for the picker.
    ModelsListed(Vec<String>),
}

/// What reading the user's files reports: edit inputs, masks, path
/// completions and batch files.
#[derive(Debug, Clone)]
pub enum FileResult {
    EditPrepared {
        version: u64,
        result: Result<Arc<PreparedEdit>, String>,
    },
    MaskLoaded {
        path: PathBuf,
        result: Result<MaskGrid, String>,
    },
    /// A typed source path was read: an image, or why it cannot be sent.
    SourceChecked {
        path: PathBuf,
        result: Result<(), String>,
    },
    PathCompleted {
        text: String,
        completions: Vec<String>,
    },
    /// A batch file was read: its text, or why it could not be.
    BatchRead {
        path: PathBuf,
        /// The batch's id, from the file's canonical path.
        id: String,
        result: Result<String, String>,
        /// Keys of its lines waiting in a Batch API batch not yet fetched.
        waiting: HashSet<String>,
        step: BatchStep,
    },
}

/// What the Batch API work reports (the Batches view, `B`'s submit).
#[derive(Debug, Clone)]
pub enum BatchesResult {
    /// The submitted batches, newest first: from the journal, and
    /// `asked` once the server said where the running ones stand.
    Listed {
        rows: Vec<BatchRow>,
        read_at: jiff::Timestamp,
        asked: bool,
        /// Why the server could not be asked.
        problem: Option<String>,
    },
    /// The journal's batches at start-up (no server is asked): the app says
    /// when some are still to be fetched.
    Found { rows: Vec<BatchRow> },
    /// A batch file went to the Batch API, or why not.
    Submitted {
        shown: String,
        result: Result<Submitted, String>,
    },
    /// A batch was fetched into the gallery (or is still running), or why not.
    Fetched {
        id: String,
        result: Result<FetchReport, String>,
    },
    Cancelled {
        id: String,
        result: Result<(), String>,
    },
    /// A fetched batch's failed lines went again: the new batch's name and
    /// request count, `None` when none was left to send, or why not.
    Retried {
        id: String,
        result: Result<Option<(String, usize)>, String>,
    },
}

/// What a submit made of a batch file.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// Batches created (the API's limits may need several).
    pub batches: usize,
    pub requests: usize,
    pub estimate: Option<Estimate>,
    /// Lines already in the gallery or waiting in a batch.
    pub skipped: usize,
    /// Lines that cannot go, with why: when any, nothing was uploaded.
    pub invalid: Vec<(usize, String)>,
}

/// What a fetch found.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchReport {
    /// Where it stands, when still running.
    pub running: Option<String>,
    pub images_saved: usize,
    /// Lines saved and lines without an image, over the whole batch.
    pub lines_saved: usize,
    pub lines_failed: usize,
    pub warnings: Vec<String>,
}

/// What a key check found.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyReport {
    pub image_models: Vec<String>,
}
