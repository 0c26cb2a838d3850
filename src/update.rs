//! `update`: the one function that changes the model. It is synchronous and
//! does no I/O: it returns the effects to carry out, and their results come
//! back later as actions.

mod batch;
mod batches;
mod compare;
mod edit;
mod edit_send;
mod family;
mod gallery;
mod jobs;
pub use jobs::app_state;
mod key_setup;
mod lineage;
mod markup;
mod mouse;
mod overlays;
mod painter;
mod params;
mod path_field;
mod prompt;
mod search;
mod sweep;
mod text_line;
mod visible;

use crate::action::{Action, FileResult};
use crate::effect::Effect;
use crate::images::graphics::TerminalImages;
use crate::keymap::Command;
use crate::model::{Level, Model, Overlay, Panel};

pub fn update(model: &mut Model, action: Action) -> Vec<Effect> {
    let before = model.params.values.clone();
    let selected = model.gallery.selected;
    let watching = matches!(model.overlay, Some(Overlay::Batches));
    let mut effects = dispatch(model, action);
    effects.extend(batches::follow(model, watching));
    if model.gallery.selected != selected {
        model.gallery.settle.moved(model.now);
    }
    effects.extend(edit_send::follow(model));
    effects.extend(visible::follow_view(model));
    params::follow(model);
    // Parameters are kept the moment they are chosen, not only when sent.
    if model.params.values != before {
        model.params.remember();
        effects.push(Effect::SaveState(Box::new(jobs::app_state(model))));
    }
    effects
}

/// Every action has its arm: a new one does not compile until it is handled.
fn dispatch(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Run(command) => run(model, command),
        Action::Type(key) => typed(model, key),
        Action::Paste(text) => pasted(model, &text),
        Action::Click { column, row } => mouse::click(model, column, row),
        Action::Scroll { down, column, row } => mouse::scroll(model, down, column, row),
        Action::Paint { column, row, erase } => painter::mouse(model, column, row, erase),
        Action::Resize { width, height } => resized(model, width, height),
        Action::TerminalImages(images) => terminal_images(model, images),
        Action::Tick => ticked(model),
        // The preview's thumbnail is then asked for by `follow_view`, as
        // for any picture newly on screen.
        Action::Rested => {
            model.gallery.settle.rested(model.now);
            Vec::new()
        }
        Action::EditorClosed(result) => prompt::editor_closed(model, result),
        Action::Job(result) => jobs::on_result(model, result),
        Action::Gallery(result) => gallery::on_result(model, result),
        Action::Key(result) => key_setup::on_result(model, result),
        Action::File(result) => on_file(model, result),
        Action::Batches(result) => batches::result(model, result),
        Action::Failed(text) => noted(model, Level::Error, text),
        Action::Noted(text) => noted(model, Level::Info, text),
    }
}

fn resized(model: &mut Model, width: u16, height: u16) -> Vec<Effect> {
    model.size = (width, height);
    Vec::new()
}

fn terminal_images(model: &mut Model, images: TerminalImages) -> Vec<Effect> {
    // Thumbnails are made for a way of drawing: they are made again.
    model.session.images = images;
    model.thumbs.clear();
    Vec::new()
}

fn ticked(model: &mut Model) -> Vec<Effect> {
    model.spinner = model.spinner.wrapping_add(1);
    Vec::new()
}

fn noted(model: &mut Model, level: Level, text: String) -> Vec<Effect> {
    model.set_status(level, text);
    Vec::new()
}

fn on_file(model: &mut Model, result: FileResult) -> Vec<Effect> {
    match result {
        FileResult::EditPrepared { version, result } => edit_send::prepared(model, version, result),
        FileResult::MaskLoaded { path, result } => edit::mask_loaded(model, path, result),
        FileResult::SourceChecked { path, result } => edit::source_checked(model, path, result),
        FileResult::PathCompleted { text, completions } => {
            if path_field::completed(model, &text, completions.clone()) {
                Vec::new()
            } else {
                edit::completed(model, text, completions)
            }
        }
        FileResult::BatchRead {
            path,
            id,
            result,
            waiting,
            step,
        } => batch::read(model, path, id, result, waiting, step),
    }
}

fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Generate => generate(model),
        Command::Quit | Command::ForceQuit => overlays::quit(model, command),
        Command::Help => overlays::toggle_help(model),
        Command::KeySetup => overlays::open_key_setup(model),
        Command::EditPanel => overlays::open_edit(model),
        Command::FocusNext if model.overlay.is_none() => focus_step(model, 1),
        Command::FocusPrev if model.overlay.is_none() => focus_step(model, -1),
        Command::Close => overlays::close(model),
        Command::Suspend => vec![Effect::Suspend],
        _ => in_place(model, command),
    }
}

/// Generate: the edit being put together when there is one, else the
/// sweep, else the prompt and parameters as they stand.
fn generate(model: &mut Model) -> Vec<Effect> {
    if model.edit.is_some() {
        edit_send::send(model)
    } else if model.sweep.is_some() {
        sweep::send(model)
    } else {
        jobs::generate(model)
    }
}

/// A command for the overlay on top, or else the focused panel.
fn in_place(model: &mut Model, command: Command) -> Vec<Effect> {
    match &model.overlay {
        Some(Overlay::Help { .. }) => overlays::scroll_help(model, command),
        Some(Overlay::KeySetup) => key_setup::run(model, command),
        Some(Overlay::Picker(_)) => params::run_picker(model, command),
        Some(Overlay::Details { .. }) => gallery::run_details(model, command),
        Some(Overlay::ConfirmQuit) => overlays::confirm(model, command),
        Some(Overlay::Edit) => edit::run(model, command),
        Some(Overlay::Compare(_)) => compare::run(model, command),
        Some(Overlay::Family(_)) => family::run(model, command),
        Some(Overlay::PathField(_)) => path_field::run(model, command),
        Some(Overlay::Batches) => batches::run(model, command),
        Some(Overlay::BatchChoice(_)) => batch::run(model, command),
        Some(Overlay::Painter) => painter::run(model, command),
        None => match model.focus {
            Panel::Prompt => prompt::run(model, command),
            Panel::Params => params::run(model, command),
            Panel::Gallery if model.gallery.searching.is_some() => search::run(model, command),
            Panel::Gallery => gallery::run(model, command),
        },
    }
}

fn typed(model: &mut Model, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    match &model.overlay {
        Some(Overlay::KeySetup) => model.key_setup.input(key),
        Some(Overlay::Picker(_)) => params::type_in_picker(model, key),
        Some(Overlay::Edit) => edit::type_path(model, key),
        Some(Overlay::PathField(_)) => path_field::typed(model, key),
        Some(_) => {}
        None if model.params.size_input.is_some() => params::type_size(model, key),
        None if model.gallery.searching.is_some() => search::typed(model, key),
        None if model.focus == Panel::Prompt && model.editing => model.prompt.input(key),
        None => {}
    }
    Vec::new()
}

fn pasted(model: &mut Model, text: &str) -> Vec<Effect> {
    match &model.overlay {
        Some(Overlay::KeySetup) => model.key_setup.paste(text),
        Some(Overlay::Edit) => edit::paste_path(model, text),
        Some(Overlay::PathField(_)) => path_field::pasted(model, text),
        Some(_) => {}
        None if model.params.size_input.is_some() => {
            let text: String = text.chars().filter(|c| !c.is_control()).collect();
            let catalog = model.session.catalog.clone();
            model
                .params
                .retype_size(&catalog, |t| t.insert(text.trim()));
        }
        None if model.gallery.searching.is_some() => search::pasted(model, text),
        // A paste is meant for the prompt wherever the focus was.
        None => {
            set_focus(model, Panel::Prompt);
            model.prompt.paste(text);
        }
    }
    Vec::new()
}

fn focus_step(model: &mut Model, step: isize) -> Vec<Effect> {
    let at = Panel::ALL
        .iter()
        .position(|p| *p == model.focus)
        .unwrap_or(0) as isize;
    let next = Panel::ALL[(at + step).rem_euclid(Panel::ALL.len() as isize) as usize];
    set_focus(model, next);
    Vec::new()
}

/// Moving to the prompt starts typing in it; leaving it stops.
pub(crate) fn set_focus(model: &mut Model, panel: Panel) {
    // Leaving the gallery keeps the search as typed.
    model.gallery.searching = None;
    model.focus = panel;
    model.params.size_input = None;
    model.editing = panel == Panel::Prompt;
    model.prompt.set_editing(model.editing);
    if panel == Panel::Gallery {
        model.gallery.clamp(&model.jobs);
    }
}
