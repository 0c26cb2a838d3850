//! Effects: what `update` asks the outside world to do. `update` only
//! returns them; the runner in `effect/runner.rs` is the one place that
//! spawns tasks, and terminal effects (clipboard, external editor) are
//! carried out by the loop that owns the terminal.

pub mod batches;
mod connection;
pub mod edit_inputs;
pub mod export;
mod files;
mod jobs;
mod key;
pub mod runner;
pub mod thumbnailer;

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{ApiKey, ValidRequest};
use crate::model::gallery::Trashed;
use crate::model::jobs::{JobId, Unsaved};
use crate::store::app_state::AppState;
use crate::store::sidecar::{RequestRecord, SavedImage};

/// A key and server settings to check or to use. `key: None` keeps the
/// key in use and changes only the settings.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCandidate {
    pub key: Option<ApiKey>,
    pub base_url: String,
    pub organization: Option<String>,
    pub project: Option<String>,
}

/// The mask to prepare: painted cells, or a file read as it is.
#[derive(Debug, Clone, PartialEq)]
pub enum MaskSpec {
    Painted {
        grid: crate::edit::MaskGrid,
        feather: u32,
    },
    File(PathBuf),
}

/// An edit's inputs as the draft holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct EditInputs {
    pub version: u64,
    pub sources: Vec<PathBuf>,
    pub mask: Option<MaskSpec>,
    pub rules: crate::api::catalog::EditRules,
    pub fit: crate::edit::FitOptions,
    pub markup: Option<crate::edit::Markup>,
}

/// What a thumbnail is made from: an image file, or pixels in memory (a
/// streaming job's partial image).
#[derive(Debug, Clone)]
pub enum ThumbnailFrom {
    File(PathBuf),
    Pixels(Arc<crate::images::thumbnail::Thumbnail>),
}

#[derive(Debug, Clone)]
pub struct ThumbnailRequest {
    pub key: crate::model::thumbs::ThumbKey,
    pub from: ThumbnailFrom,
    pub graphics: crate::images::graphics::Graphics,
}

#[derive(Debug, Clone)]
pub enum Effect {
    StartJob {
        id: JobId,
        journal: String,
        request: Box<ValidRequest>,
        record: Box<RequestRecord>,
    },
    CancelJob {
        id: JobId,
        journal: String,
    },
    /// Saves the images a failed save kept in memory.
    SaveAgain {
        id: JobId,
        unsaved: Arc<Unsaved>,
    },
    /// Removes a journal entry the user dismissed or retried.
    ForgetJob {
        journal: String,
    },
    CheckKey(KeyCandidate),
    ApplyKey {
        candidate: KeyCandidate,
        persist: bool,
    },
    ForgetSavedKey,
    ListModels,
    Trash(Box<SavedImage>),
    Restore(Box<Trashed>),
    SaveState(Box<AppState>),
    OpenViewer(PathBuf),
    /// The thumbnails on screen that are missing, in screen order; replaces
    /// the list asked for before (stale work is dropped).
    MakeThumbnails(Vec<ThumbnailRequest>),
    /// Read and fit an edit's inputs; the result says what will be sent.
    PrepareEdit(Box<EditInputs>),
    /// See that a typed path is an image artty can send before it is
    /// added to an edit's sources.
    CheckSource(PathBuf),
    /// Read a mask file into a grid for the painter's area.
    LoadMask {
        path: PathBuf,
        area: (u16, u16),
        cell: (u16, u16),
    },
    /// List completions of a typed path: folders and image files, or any file.
    CompletePath {
        text: String,
        any_file: bool,
    },
    /// Rewrite an image's sidecar (its favourite mark).
    SaveSidecar(Box<SavedImage>),
    /// Read the gallery folder again.
    LoadGallery,
    /// Copy images and their sidecars to a folder.
    Export {
        images: Vec<SavedImage>,
        folder: PathBuf,
    },
    /// Make a contact sheet PNG of the images.
    ContactSheet {
        images: Vec<SavedImage>,
        file: PathBuf,
    },
    /// Read a batch file (holding its lock while the app runs), and find
    /// which of its lines wait in a Batch API batch.
    ReadBatch {
        path: PathBuf,
        step: crate::model::batches::BatchStep,
    },
    /// Check a batch file's lines and send them to the Batch API, priced
    /// with the parameters as they stand.
    SubmitBatch {
        path: PathBuf,
        defaults: Box<crate::api::ImageParams>,
    },
    /// List the submitted batches now and, while `true`, again on a slow
    /// timer, asking the server about the running ones; `false` stops it.
    WatchBatches(bool),
    /// Save a finished batch's images into the gallery.
    FetchBatch(String),
    /// Ask the API to cancel a batch.
    CancelBatch(String),
    /// Send a fetched batch's lines that made no image again, as a new batch.
    RetryBatch(String),
    /// Terminal effect: put text on the clipboard with OSC 52.
    Copy(String),
    /// Terminal effect: suspend, run $VISUAL/$EDITOR on the text, resume.
    OpenEditor(String),
    /// Terminal effect: give the terminal back and stop as Ctrl+Z does in
    /// a shell; `fg` takes it again and draws everything anew.
    Suspend,
}
