//! The app's state as plain data, one part per panel. Nothing here does
//! I/O; `update` changes it and `ui` draws it.

pub mod batches;
pub mod compare;
pub mod costs;
pub mod edit;
pub mod export;
pub mod family;
pub mod gallery;
pub mod jobs;
pub mod key_setup;
pub mod line_edit;
pub mod params;
pub mod picker;
pub mod prompt;
pub mod search;
pub mod settle;
pub mod sweep;
pub mod thumbs;

use std::sync::Arc;
use std::time::Instant;

use jiff::civil::Date;

use crate::api::Catalog;
use crate::images::graphics::TerminalImages;
use crate::keymap::{Context, Keymap};
use edit::EditDraft;
use gallery::Gallery;
use jobs::Jobs;
use key_setup::KeySetup;
use params::Params;
use picker::Picker;
use prompt::Prompt;
use thumbs::Thumbs;

/// The panels Tab moves between, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Prompt,
    Params,
    Gallery,
}

impl Panel {
    pub const ALL: [Panel; 3] = [Panel::Prompt, Panel::Params, Panel::Gallery];
}

/// What is drawn over the panels and takes the keys first.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    KeySetup,
    Picker(Picker),
    Details {
        scroll: u16,
    },
    ConfirmQuit,
    /// The edit's sources, mask and fitting, and what will be sent.
    Edit,
    /// Painting the mask over the first source.
    Painter,
    /// 2–4 images side by side with what differs.
    Compare(compare::Compare),
    /// The family tree of the selected image.
    Family(family::FamilyView),
    /// A path typed for an export, a contact sheet or a batch file.
    PathField(PathField),
    /// The batches submitted to the Batch API (the rows are `Model::batches`).
    Batches,
    /// How to run the batch file just read: here, or on the Batch API.
    BatchChoice(batches::BatchChoice),
}

/// What a typed path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    ExportFolder,
    ContactSheet,
    BatchFile,
}

/// The path field overlay: the purpose, the text and its completions.
#[derive(Debug, Clone, PartialEq)]
pub struct PathField {
    pub purpose: PathPurpose,
    pub text: line_edit::LineEdit,
    pub completions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// The message line above the key hints.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub level: Level,
    pub text: String,
    /// What the message is about, when it stops being true on its own: it
    /// is cleared as soon as its cause is gone.
    pub cause: Option<Cause>,
}

/// A passing state a message reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    /// A request was not sent for what the checks refuse in these values.
    Refused(Box<crate::api::ImageParams>),
    /// The gallery folder is being read.
    Reading,
}

/// Facts about this run that do not change while it lasts.
#[derive(Debug, Clone)]
pub struct Session {
    pub demo: bool,
    /// Scheme, host and path of the API, as shown and recorded.
    pub server: String,
    pub is_openai: bool,
    pub today: Date,
    /// Start time and pid; names this run's journal entries.
    pub run_tag: String,
    /// A graphical display is reachable, so a viewer can be opened.
    pub has_display: bool,
    /// False under NO_COLOR: state is then shown by symbols and text only.
    pub color: bool,
    /// Shared: update hands it to model methods while changing the model.
    pub catalog: Arc<Catalog>,
    /// Dates are shown in this zone (the system's; UTC in tests).
    pub time_zone: jiff::tz::TimeZone,
    /// How images are drawn, and the cell size in pixels.
    pub images: TerminalImages,
    /// `$HOME` and the working folder, read once at start-up: typed paths
    /// are resolved against them without asking the system again.
    pub home: Option<std::path::PathBuf>,
    pub working_dir: std::path::PathBuf,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub session: Session,
    pub keymap: Keymap,
    pub focus: Panel,
    /// The prompt has the keys (it is a text field being typed in).
    pub editing: bool,
    pub overlay: Option<Overlay>,
    pub key_setup: KeySetup,
    pub prompt: Prompt,
    pub params: Params,
    pub gallery: Gallery,
    pub jobs: Jobs,
    pub thumbs: Thumbs,
    /// The edit or variation being put together; while there is one,
    /// Generate sends it.
    pub edit: Option<EditDraft>,
    /// The image whose prompt and parameters were reused (`r`): what is
    /// sent next is recorded as made from it.
    pub reused_from: Option<std::path::PathBuf>,
    /// The sweep chosen in the parameters panel; Generate sends it.
    pub sweep: Option<sweep::Sweep>,
    /// Image model names the server listed.
    pub remote_models: Vec<String>,
    /// The Batches view's rows, kept while it is closed.
    pub batches: batches::BatchesView,
    pub status: Option<Status>,
    /// Set by the loop before each update; elapsed times are drawn from it.
    pub now: Instant,
    /// When the app started: animations step by the time since.
    pub epoch: Instant,
    /// Terminal size in cells.
    pub size: (u16, u16),
    /// Advances while jobs run; picks the spinner frame.
    pub spinner: usize,
    pub quit: bool,
}

impl Model {
    pub fn new(session: Session, keymap: Keymap, prompt: Prompt, params: Params) -> Model {
        let key_setup = KeySetup::new(&session.server, "", "");
        let mut model = Model {
            session,
            keymap,
            focus: Panel::Prompt,
            editing: true,
            overlay: None,
            key_setup,
            prompt,
            params,
            gallery: Gallery::default(),
            jobs: Jobs::default(),
            thumbs: Thumbs::default(),
            edit: None,
            reused_from: None,
            sweep: None,
            remote_models: Vec::new(),
            batches: Default::default(),
            status: None,
            now: Instant::now(),
            epoch: Instant::now(),
            size: (80, 24),
            spinner: 0,
            quit: false,
        };
        model.prompt.set_editing(true);
        model.gallery.time_zone = Some(model.session.time_zone.clone());
        model.gallery.today = Some(model.session.today);
        model.set_keymap(model.keymap.clone());
        model
    }

    /// The key table in effect, and everything on screen that names a key
    /// and is not drawn from it each frame (the prompt's placeholder).
    pub fn set_keymap(&mut self, keymap: Keymap) {
        self.prompt.set_placeholder(format!(
            "Describe the image, then {}",
            keymap.global(crate::keymap::Command::Generate)
        ));
        self.keymap = keymap;
    }

    /// A key is in use (in demo mode, the fake server's).
    pub fn has_key(&self) -> bool {
        self.key_setup.active.is_some()
    }

    /// True while something animates, so the loop ticks; idle means no wake-ups.
    pub fn animating(&self) -> bool {
        self.jobs.running() > 0
    }

    /// A text field has the keys: plain letters are text, not commands.
    pub fn typing(&self) -> bool {
        match &self.overlay {
            Some(Overlay::KeySetup | Overlay::Picker(_)) => true,
            Some(Overlay::Edit) => self.editing_path(),
            Some(Overlay::PathField(_)) => true,
            Some(_) => false,
            None => {
                (self.focus == Panel::Prompt && self.editing)
                    || self.params.size_input.is_some()
                    || self.gallery.searching.is_some()
            }
        }
    }

    /// Keymap contexts asked for a key, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.overlay.is_none() && self.params.size_input.is_some() {
            return vec![Context::Global];
        }
        if self.overlay.is_none() && self.gallery.searching.is_some() {
            return vec![Context::Search, Context::Global];
        }
        let first = match &self.overlay {
            Some(Overlay::Help { .. }) => Context::Help,
            Some(Overlay::KeySetup) => Context::KeySetup,
            Some(Overlay::Picker(_)) => Context::Picker,
            Some(Overlay::Details { .. }) => Context::Details,
            Some(Overlay::ConfirmQuit) => Context::Confirm,
            Some(Overlay::Edit) if self.editing_path() => Context::EditPath,
            Some(Overlay::Edit) => Context::Edit,
            Some(Overlay::Painter) => Context::Painter,
            Some(Overlay::Compare(_)) => Context::Compare,
            Some(Overlay::Family(_)) => Context::Family,
            Some(Overlay::PathField(_)) => Context::PathField,
            Some(Overlay::Batches) => Context::Batches,
            Some(Overlay::BatchChoice(_)) => Context::BatchChoice,
            None => match self.focus {
                Panel::Prompt if self.editing => Context::Prompt,
                Panel::Prompt => Context::PromptIdle,
                Panel::Params => Context::Params,
                Panel::Gallery => Context::Gallery,
            },
        };
        if self.typing() {
            vec![first, Context::Global]
        } else {
            vec![first, Context::Navigation, Context::Global]
        }
    }

    /// The edit panel's path field has the keys.
    pub fn editing_path(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.path_input.is_some())
    }

    pub fn set_status(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(Status {
            level,
            text: text.into(),
            cause: None,
        });
    }

    /// A message that lasts only while `cause` holds.
    pub fn set_status_while(&mut self, cause: Cause, level: Level, text: impl Into<String>) {
        self.set_status(level, text);
        if let Some(status) = &mut self.status {
            status.cause = Some(cause);
        }
    }

    /// `gone` says whether a message's cause is over; if so the message
    /// goes with it (a message without a cause stays).
    pub fn clear_status_if(&mut self, gone: impl Fn(&Cause) -> bool) {
        if self
            .status
            .as_ref()
            .and_then(|s| s.cause.as_ref())
            .is_some_and(gone)
        {
            self.status = None;
        }
    }
}
