//! Everything that can change the model: what the user asked for (from the
//! keymap, the mouse, the terminal) and what background work reported.
//! Intents are imperative, results past tense.

use crossterm::event::KeyEvent;

use std::path::PathBuf;
use std::sync::Arc;

use crate::edit::{MaskGrid, PreparedEdit};
use crate::images::prepared::Prepared;
use crate::keymap::Command;
use crate::model::jobs::{JobFailure, JobId, Stage};
use crate::model::thumbs::{PartialImage, ThumbKey};
use crate::store::gallery::SavedImage;
use crate::store::journal::JournalEntry;
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

    JobStageChanged {
        id: JobId,
        stage: Stage,
    },
    JobSaved {
        id: JobId,
        images: Vec<SavedImage>,
        /// What was lost on the way, when some images did not arrive.
        warning: Option<String>,
    },
    JobFailed {
        id: JobId,
        failure: JobFailure,
    },
    JobCancelled {
        id: JobId,
    },
    /// A streaming job's partial image, decoded and shrunk.
    JobPartialImage {
        id: JobId,
        image: PartialImage,
    },
    ThumbnailMade {
        key: ThumbKey,
        result: Result<Arc<Prepared>, String>,
    },
    /// The whole gallery, newest first.
    GalleryLoaded(Vec<SavedImage>),
    /// The newest entries, read first so they show at once; `total` is
    /// the whole gallery's count as last indexed.
    GalleryFirstPage {
        images: Vec<SavedImage>,
        total: usize,
    },
    JournalLoaded(Vec<JournalEntry>),
    KeyChecked(Result<KeyReport, String>),
    KeyApplied {
        masked: String,
        source: String,
        note: String,
    },
    KeyForgotten {
        note: String,
    },
    ModelsListed(Vec<String>),
    Trashed {
        image: Box<SavedImage>,
        ticket: TrashTicket,
    },
    Restored {
        image: Box<SavedImage>,
    },
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
    EditPrepared {
        version: u64,
        result: Result<Arc<PreparedEdit>, String>,
    },
    MaskLoaded {
        path: PathBuf,
        result: Result<MaskGrid, String>,
    },
    PathCompleted {
        text: String,
        completions: Vec<String>,
    },
    /// A batch file was read: its text, or why it could not be.
    BatchRead {
        path: PathBuf,
        result: Result<String, String>,
    },
    /// A favourite mark could not be written to the sidecar: undone.
    FavouriteNotSaved {
        path: PathBuf,
        error: String,
    },
    /// A background step failed in a way the user should hear about.
    Failed(String),
    /// A background step finished with something to say.
    Noted(String),
}

/// What a key check found.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyReport {
    pub image_models: Vec<String>,
}
