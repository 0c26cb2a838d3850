//! Help, the key setup overlay, closing things and quitting.

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::{Level, Model, Overlay, Panel};

pub fn toggle_help(model: &mut Model) -> Vec<Effect> {
    model.overlay = match model.overlay {
        Some(Overlay::Help { .. }) => None,
        _ => Some(Overlay::Help { scroll: 0 }),
    };
    Vec::new()
}

pub fn scroll_help(model: &mut Model, command: Command) -> Vec<Effect> {
    let page = page_height(model);
    if let Some(Overlay::Help { scroll }) = &mut model.overlay {
        *scroll = scrolled(*scroll, command, page);
    }
    Vec::new()
}

/// Lines a page key moves in a scrolling overlay: its height less the frame.
pub fn page_height(model: &Model) -> u16 {
    model.size.1.saturating_sub(6).max(1)
}

/// The scroll offset after Up, Down, PageUp or PageDown (the view clamps it).
pub fn scrolled(scroll: u16, command: Command, page: u16) -> u16 {
    match command {
        Command::Up => scroll.saturating_sub(1),
        Command::Down => scroll.saturating_add(1),
        Command::PageUp => scroll.saturating_sub(page),
        Command::PageDown => scroll.saturating_add(page),
        _ => scroll,
    }
}

/// F3: the edit panel, when an edit is being put together.
pub fn open_edit(model: &mut Model) -> Vec<Effect> {
    if model.edit.is_some() {
        model.overlay = Some(Overlay::Edit);
    } else {
        model.set_status(
            Level::Info,
            "No edit yet: e on a gallery image starts one, v a variation",
        );
    }
    Vec::new()
}

pub fn open_key_setup(model: &mut Model) -> Vec<Effect> {
    model.overlay = Some(Overlay::KeySetup);
    Vec::new()
}

/// Esc: the innermost thing closes — an overlay, a size being typed, or
/// typing in the prompt.
pub fn close(model: &mut Model) -> Vec<Effect> {
    match model.overlay {
        Some(Overlay::Painter) => {
            super::painter::done(model);
            return Vec::new();
        }
        Some(Overlay::Edit) => {
            if let Some(draft) = model.edit.as_mut()
                && draft.path_input.take().is_some()
            {
                return Vec::new();
            }
        }
        _ => {}
    }
    if model.overlay.take().is_some() {
        return Vec::new();
    }
    if model.params.size_input.take().is_some() {
        model.set_status(Level::Info, "Custom size not changed");
        return Vec::new();
    }
    if model.gallery.searching.is_some() {
        super::search::cancel(model);
        return Vec::new();
    }
    if model.focus == Panel::Gallery && super::search::clear(model) {
        return Vec::new();
    }
    if model.focus == Panel::Prompt && model.editing {
        model.editing = false;
        model.prompt.set_editing(false);
    }
    Vec::new()
}

/// `q` and Ctrl+C: quit now when nothing runs and nothing waits to be
/// saved; otherwise ask. A second Ctrl+C while asking quits.
pub fn quit(model: &mut Model, command: Command) -> Vec<Effect> {
    let asking = model.overlay == Some(Overlay::ConfirmQuit);
    let idle = model.jobs.running() == 0 && model.jobs.unsaved() == 0;
    if idle || (asking && command == Command::ForceQuit) {
        model.quit = true;
    } else {
        model.overlay = Some(Overlay::ConfirmQuit);
    }
    Vec::new()
}

pub fn confirm(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Yes => model.quit = true,
        Command::No => model.overlay = None,
        _ => {}
    }
    Vec::new()
}
