//! The gallery search: `/` opens the field, each key filters at once,
//! Enter keeps the search and Esc puts back the one from before. Esc in
//! the gallery clears a search that is kept.

use crossterm::event::KeyEvent;

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::line_edit::LineEdit;
use crate::model::search::Query;
use crate::model::{Level, Model};

pub fn start(model: &mut Model) {
    let gallery = &mut model.gallery;
    gallery.searching = Some(gallery.query.text.clone());
    gallery.search_field = LineEdit::new(&gallery.query.text);
}

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Up => model.gallery.move_by(&model.jobs, -1),
        Command::Down => model.gallery.move_by(&model.jobs, 1),
        Command::Choose => {
            model.gallery.searching = None;
            let found = model.gallery.listed();
            model.set_status(
                Level::Info,
                format!("{found} image{} found", if found == 1 { "" } else { "s" }),
            );
        }
        _ => {}
    }
    Vec::new()
}

/// Esc while typing: the search from before the field was opened.
pub fn cancel(model: &mut Model) {
    if let Some(before) = model.gallery.searching.take() {
        set_query(model, &before);
    }
}

/// Esc in the gallery: the search is cleared. False when there was none.
pub fn clear(model: &mut Model) -> bool {
    if model.gallery.query.is_empty() {
        return false;
    }
    set_query(model, "");
    model.set_status(Level::Info, "Search cleared");
    true
}

pub fn typed(model: &mut Model, key: KeyEvent) {
    if super::text_line::edit(&mut model.gallery.search_field, key, ' ') {
        let text = model.gallery.search_field.to_string();
        set_query(model, &text);
    }
}

pub fn pasted(model: &mut Model, pasted: &str) {
    let spaced: String = pasted
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    model.gallery.search_field.insert(&spaced);
    let text = model.gallery.search_field.to_string();
    set_query(model, &text);
}

pub fn cycle_sort(model: &mut Model) {
    model.gallery.sort = model.gallery.sort.next();
    model.gallery.refilter(&model.jobs);
    model.set_status(
        Level::Info,
        format!("Sorted {}", model.gallery.sort.label()),
    );
}

fn set_query(model: &mut Model, text: &str) {
    model.gallery.query = Query::parse(text, model.session.today);
    model.gallery.refilter(&model.jobs);
}
