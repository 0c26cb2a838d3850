//! `update`: the one function that changes the model. It is synchronous and
//! does no I/O: it returns the effects to carry out, and their results come
//! back later as actions.

mod batch;
mod compare;
mod edit;
mod family;
mod gallery;
mod jobs;
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
mod thumbs;

use crate::action::Action;
use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::{Level, Model, Overlay, Panel};

pub fn update(model: &mut Model, action: Action) -> Vec<Effect> {
    let mut effects = dispatch(model, action);
    effects.extend(edit::follow(model));
    effects.extend(thumbs::follow_view(model));
    params::follow(model);
    effects
}

fn dispatch(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Run(command) => run(model, command),
        Action::Type(key) => typed(model, key),
        Action::Paste(text) => pasted(model, &text),
        Action::Click { column, row } => mouse::click(model, column, row),
        Action::Scroll { down, column, row } => mouse::scroll(model, down, column, row),
        Action::Resize { width, height } => {
            model.size = (width, height);
            Vec::new()
        }
        Action::TerminalImages(images) => {
            // Thumbnails are made for a way of drawing: they are made again.
            model.session.images = images;
            model.thumbs.clear();
            Vec::new()
        }
        Action::Tick => {
            model.spinner = model.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::GalleryLoaded(images) => gallery::loaded(model, images),
        Action::GalleryFirstPage { images, total } => gallery::first_page(model, images, total),
        Action::FavouriteNotSaved { path, error } => {
            gallery::favourite_not_saved(model, path, error)
        }
        Action::Trashed { image, ticket } => gallery::trashed(model, *image, ticket),
        Action::Restored { image } => gallery::restored(model, *image),
        Action::KeyChecked(result) => key_setup::checked(model, result),
        Action::KeyApplied {
            masked,
            source,
            note,
        } => key_setup::applied(model, masked, source, note),
        Action::KeyForgotten { note } => key_setup::forgotten(model, note),
        Action::ModelsListed(names) => {
            model.remote_models = names;
            Vec::new()
        }
        Action::EditorClosed(result) => prompt::editor_closed(model, result),
        Action::Paint { column, row, erase } => {
            painter::mouse(model, column, row, erase);
            Vec::new()
        }
        Action::EditPrepared { version, result } => edit::prepared(model, version, result),
        Action::MaskLoaded { path, result } => {
            edit::mask_loaded(model, path, result);
            Vec::new()
        }
        Action::PathCompleted { text, completions } => {
            if !path_field::completed(model, &text, completions.clone()) {
                edit::completed(model, text, completions);
            }
            Vec::new()
        }
        Action::BatchRead { path, result } => batch::read(model, path, result),
        Action::ThumbnailMade { .. } | Action::JobPartialImage { .. } => {
            thumbs::on_result(model, action);
            Vec::new()
        }
        Action::Failed(text) => {
            model.set_status(Level::Error, text);
            Vec::new()
        }
        Action::Noted(text) => {
            model.set_status(Level::Info, text);
            Vec::new()
        }
        other => jobs::on_result(model, other),
    }
}

fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Generate => jobs::generate(model),
        Command::Quit | Command::ForceQuit => {
            overlays::quit(model, command);
            Vec::new()
        }
        Command::Help => {
            overlays::toggle_help(model);
            Vec::new()
        }
        Command::KeySetup => {
            overlays::open_key_setup(model);
            Vec::new()
        }
        Command::EditPanel => {
            overlays::open_edit(model);
            Vec::new()
        }
        Command::FocusNext if model.overlay.is_none() => {
            focus_step(model, 1);
            Vec::new()
        }
        Command::FocusPrev if model.overlay.is_none() => {
            focus_step(model, -1);
            Vec::new()
        }
        Command::Close => {
            overlays::close(model);
            Vec::new()
        }
        _ => in_place(model, command),
    }
}

/// A command for the overlay on top, or else the focused panel.
fn in_place(model: &mut Model, command: Command) -> Vec<Effect> {
    match &model.overlay {
        Some(Overlay::Help { .. }) => {
            overlays::scroll_help(model, command);
            Vec::new()
        }
        Some(Overlay::KeySetup) => key_setup::run(model, command),
        Some(Overlay::Picker(_)) => {
            params::run_picker(model, command);
            Vec::new()
        }
        Some(Overlay::Details { .. }) => gallery::run_details(model, command),
        Some(Overlay::ConfirmQuit) => {
            overlays::confirm(model, command);
            Vec::new()
        }
        Some(Overlay::Edit) => edit::run(model, command),
        Some(Overlay::Compare(_)) => {
            compare::run(model, command);
            Vec::new()
        }
        Some(Overlay::Family(_)) => {
            family::run(model, command);
            Vec::new()
        }
        Some(Overlay::PathField(_)) => path_field::run(model, command),
        Some(Overlay::Painter) => {
            painter::run(model, command);
            Vec::new()
        }
        None => match model.focus {
            Panel::Prompt => prompt::run(model, command),
            Panel::Params => {
                params::run(model, command);
                Vec::new()
            }
            Panel::Gallery if model.gallery.searching.is_some() => {
                search::run(model, command);
                Vec::new()
            }
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
                .retype_size(&catalog, |t| t.push_str(text.trim()));
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

fn focus_step(model: &mut Model, step: isize) {
    let at = Panel::ALL
        .iter()
        .position(|p| *p == model.focus)
        .unwrap_or(0) as isize;
    let next = Panel::ALL[(at + step).rem_euclid(Panel::ALL.len() as isize) as usize];
    set_focus(model, next);
}

/// Moving to the prompt starts typing in it; leaving it stops.
/// How many images an export would take now (for the path field's title).
pub fn export_count(model: &Model) -> usize {
    path_field::chosen_count(model)
}

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
