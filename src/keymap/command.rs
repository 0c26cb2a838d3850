//! Every named command a key can run, and the contexts keys are bound in.
//! The names are what keys.toml uses.

/// Where a binding applies. Overlays and the focused panel are asked
/// first, then `Navigation` (only outside text fields), then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Navigation,
    Prompt,
    PromptIdle,
    Params,
    Gallery,
    KeySetup,
    Picker,
    Details,
    Help,
    Confirm,
    Edit,
    EditPath,
    Painter,
    Search,
    Compare,
    Family,
    PathField,
    Batches,
    BatchChoice,
}

impl Context {
    pub const ALL: [Context; 20] = [
        Context::Global,
        Context::Navigation,
        Context::Prompt,
        Context::PromptIdle,
        Context::Params,
        Context::Gallery,
        Context::KeySetup,
        Context::Picker,
        Context::Details,
        Context::Help,
        Context::Confirm,
        Context::Edit,
        Context::EditPath,
        Context::Painter,
        Context::Search,
        Context::Compare,
        Context::Family,
        Context::PathField,
        Context::Batches,
        Context::BatchChoice,
    ];

    /// The table name in keys.toml.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Navigation => "navigation",
            Context::Prompt => "prompt",
            Context::PromptIdle => "prompt_idle",
            Context::Params => "params",
            Context::Gallery => "gallery",
            Context::KeySetup => "key_setup",
            Context::Picker => "model_picker",
            Context::Details => "details",
            Context::Help => "help",
            Context::Confirm => "confirm",
            Context::Edit => "edit",
            Context::EditPath => "edit_path",
            Context::Painter => "mask_painter",
            Context::Search => "search",
            Context::Compare => "compare",
            Context::Family => "family",
            Context::PathField => "path_field",
            Context::Batches => "batches",
            Context::BatchChoice => "batch_choice",
        }
    }

    /// The heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Anywhere",
            Context::Navigation => "Outside text fields",
            Context::Prompt => "Prompt (typing)",
            Context::PromptIdle => "Prompt (not typing)",
            Context::Params => "Parameters",
            Context::Gallery => "Gallery",
            Context::KeySetup => "API key setup",
            Context::Picker => "Model picker",
            Context::Details => "Details",
            Context::Help => "Help",
            Context::Confirm => "Questions",
            Context::Edit => "Edit inputs",
            Context::EditPath => "Edit inputs: typing a path",
            Context::Painter => "Mask and markup painter",
            Context::Search => "Gallery: typing a search",
            Context::Compare => "Compare",
            Context::Family => "Family tree",
            Context::PathField => "Export and batch: typing a path",
            Context::Batches => "Batches on the Batch API",
            Context::BatchChoice => "Batch file: how to run it",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

macro_rules! commands {
    ($($variant:ident => $name:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command { $($variant),* }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant),*];

            /// The name in keys.toml and docs/keybindings.md.
            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name),* }
            }
        }
    };
}

commands! {
    Generate => "generate",
    Quit => "quit",
    ForceQuit => "force_quit",
    Suspend => "suspend",
    Help => "help",
    KeySetup => "key_setup",
    FocusNext => "focus_next",
    FocusPrev => "focus_prev",
    Close => "close",
    Edit => "edit",
    ExternalEditor => "external_editor",
    HistoryPrev => "history_prev",
    HistoryNext => "history_next",
    Up => "up",
    Down => "down",
    Left => "left",
    Right => "right",
    PageUp => "page_up",
    PageDown => "page_down",
    Top => "top",
    Bottom => "bottom",
    PrevValue => "prev_value",
    NextValue => "next_value",
    Choose => "choose",
    Reset => "reset",
    Details => "details",
    ToggleInfo => "toggle_info",
    Reuse => "reuse",
    EditImage => "edit_image",
    Vary => "vary",
    Parent => "parent",
    Back => "back",
    EditPanel => "edit_panel",
    MoveEarlier => "move_earlier",
    MoveLater => "move_later",
    AddSource => "add_source",
    PaintMask => "paint_mask",
    LoadMask => "load_mask",
    ClearMask => "clear_mask",
    CycleFit => "cycle_fit",
    CycleEdge => "cycle_edge",
    CycleFeather => "cycle_feather",
    Discard => "discard",
    Complete => "complete",
    Paint => "paint",
    Erase => "erase",
    Eraser => "eraser",
    Pen => "pen",
    BrushBigger => "brush_bigger",
    BrushSmaller => "brush_smaller",
    Rectangle => "rectangle",
    MarkupMode => "markup_mode",
    Arrow => "arrow",
    NextColour => "next_colour",
    Fill => "fill",
    Invert => "invert",
    Undo => "undo",
    CopyPath => "copy_path",
    CopyPrompt => "copy_prompt",
    Open => "open",
    Delete => "delete",
    UndoDelete => "undo_delete",
    Cancel => "cancel",
    NextField => "next_field",
    PrevField => "prev_field",
    CheckKey => "check_key",
    SaveKey => "save_key",
    UseForSession => "use_for_session",
    ForgetSavedKey => "forget_saved_key",
    Yes => "yes",
    No => "no",
    Search => "search",
    Sort => "sort",
    Favourite => "favourite",
    Mark => "mark",
    ClearMarks => "clear_marks",
    Compare => "compare",
    Family => "family",
    Export => "export",
    ContactSheet => "contact_sheet",
    Batch => "batch",
    Batches => "batches",
    FetchBatch => "fetch_batch",
    RetryBatch => "retry_batch",
    RunHere => "run_here",
    SubmitBatchApi => "submit_batch_api",
    Reload => "reload",
    SweepValue => "sweep_value",
    ClearSweep => "clear_sweep",
}

impl Command {
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }
}
