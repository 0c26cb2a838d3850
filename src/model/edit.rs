//! An edit or variation being put together: its source images in order,
//! the mask, how inputs are fitted to the model, and what preparing them
//! produced (exactly what will be sent). The draft stays after sending, so
//! the prompt can be changed and the edit sent again.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::Endpoint;
use crate::edit::fit_plan::LONGEST_EDGES;
use crate::edit::{FitOptions, MarkColour, Markup, MaskEdits, MaskGrid, PreparedEdit};

/// Feathering choices in pixels, 0 (a hard edge) first.
pub const FEATHERS: [u32; 5] = [0, 2, 4, 8, 16];
/// Brush sizes in cells.
pub const BRUSH_MAX: u16 = 9;

/// The mask: painted here, or loaded from a file (and maybe painted over).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftMask {
    pub edits: MaskEdits,
    /// The file it was loaded from, sent as it is until painted over.
    pub file: Option<PathBuf>,
    pub touched: bool,
}

/// Where preparing the inputs stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Preparation {
    Pending,
    Ready(Arc<PreparedEdit>),
    Failed(String),
}

/// What a path typed in the edit panel is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFor {
    Source,
    Mask,
}

/// The path field, with the completions of its last Tab.
#[derive(Debug, Clone, PartialEq)]
pub struct PathInput {
    pub purpose: PathFor,
    pub text: crate::model::line_edit::LineEdit,
    pub completions: Vec<String>,
}

/// The painter's cursor and tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brush {
    pub cursor: (u16, u16),
    pub size: u16,
    /// Moving paints (or erases) as it goes.
    pub pen_down: bool,
    pub erasing: bool,
    /// First corner of a rectangle being drawn (or, in markup, the tail of
    /// an arrow when `arrow` is set).
    pub anchor: Option<(u16, u16)>,
    pub arrow: bool,
}

impl Default for Brush {
    fn default() -> Brush {
        Brush {
            cursor: (0, 0),
            size: 1,
            pen_down: false,
            erasing: false,
            anchor: None,
            arrow: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EditDraft {
    pub endpoint: Endpoint,
    /// The model this edit goes to when the panel's does not serve its
    /// endpoint (a variation from gpt-image-2): the panel keeps its own.
    pub model: Option<String>,
    pub sources: Vec<PathBuf>,
    /// The source the list cursor is on.
    pub selected: usize,
    pub mask: Option<DraftMask>,
    /// Marks over image 1, sent as the `markup` PNG (never with a mask).
    pub markup: Option<Markup>,
    /// The painter draws markup rather than the mask.
    pub marking: bool,
    pub mark_colour: MarkColour,
    pub fit: FitOptions,
    pub feather: u32,
    pub brush: Brush,
    pub path_input: Option<PathInput>,
    /// Bumped on every change that alters what would be sent.
    pub version: u64,
    /// The version `preparation` was made for.
    pub prepared_version: u64,
    pub preparation: Preparation,
    /// The version last handed to the worker to prepare.
    pub requested: u64,
    /// The model whose rules the inputs are fitted to.
    pub rules_model: String,
    /// Ctrl+G came before the inputs were ready: send when they are.
    pub send_when_ready: bool,
}

impl EditDraft {
    pub fn new(endpoint: Endpoint, sources: Vec<PathBuf>) -> EditDraft {
        EditDraft {
            endpoint,
            model: None,
            sources,
            selected: 0,
            mask: None,
            markup: None,
            marking: false,
            mark_colour: MarkColour::Red,
            fit: FitOptions::default(),
            feather: 0,
            brush: Brush::default(),
            path_input: None,
            version: 1,
            prepared_version: 0,
            preparation: Preparation::Pending,
            requested: 0,
            rules_model: String::new(),
            send_when_ready: false,
        }
    }

    pub fn is_variation(&self) -> bool {
        self.endpoint == Endpoint::Variations
    }

    /// Marks the inputs changed, so they are prepared again. The last
    /// preparation stays (for the first image's size) but is stale.
    pub fn changed(&mut self) {
        self.version += 1;
    }

    /// The preparation, if it is for the inputs as they are now.
    pub fn ready(&self) -> Option<&Arc<PreparedEdit>> {
        match &self.preparation {
            Preparation::Ready(prepared) if self.prepared_version == self.version => Some(prepared),
            _ => None,
        }
    }

    /// The first source's pixel size, once preparing has read it.
    pub fn first_size(&self) -> Option<(u32, u32)> {
        match &self.preparation {
            Preparation::Ready(prepared) => prepared.images.first().map(|f| f.original),
            _ => None,
        }
    }

    pub fn move_selected(&mut self, step: isize) {
        let last = self.sources.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + step).clamp(0, last.max(0)) as usize;
    }

    /// Moves the selected source earlier or later in the order sent.
    pub fn reorder(&mut self, step: isize) -> bool {
        let to = self.selected as isize + step;
        if to < 0 || to as usize >= self.sources.len() {
            return false;
        }
        self.sources.swap(self.selected, to as usize);
        self.selected = to as usize;
        self.changed();
        true
    }

    pub fn cycle_longest_edge(&mut self) {
        let at = LONGEST_EDGES
            .iter()
            .position(|e| *e == self.fit.longest_edge)
            .unwrap_or(0);
        self.fit.longest_edge = LONGEST_EDGES[(at + 1) % LONGEST_EDGES.len()];
        self.changed();
    }

    pub fn cycle_feather(&mut self) {
        let at = FEATHERS
            .iter()
            .position(|f| *f == self.feather)
            .unwrap_or(0);
        self.feather = FEATHERS[(at + 1) % FEATHERS.len()];
        self.changed();
    }

    /// The markup to draw on, on the mask's grid (so both line up).
    pub fn markup_for_drawing(&mut self) -> Option<&mut Markup> {
        let (cols, rows) = self
            .mask
            .as_ref()
            .map(|m| (m.edits.grid.cols, m.edits.grid.rows))?;
        Some(self.markup.get_or_insert_with(|| Markup::new(cols, rows)))
    }

    /// The mask to paint on, made for a grid of `cols`×`rows` if there is none.
    pub fn mask_for_painting(&mut self, cols: u16, rows: u16, size: (u32, u32)) -> &mut DraftMask {
        self.mask.get_or_insert_with(|| DraftMask {
            edits: MaskEdits::new(MaskGrid::for_image(cols, rows, size.0, size.1)),
            file: None,
            touched: false,
        })
    }
}
