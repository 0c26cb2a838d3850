//! Clicks focus and select; the wheel scrolls what is under it.

use crate::effect::Effect;
use crate::layout::areas::{Areas, contains, gallery_offset};
use crate::model::{Model, Overlay, Panel};

pub fn click(model: &mut Model, column: u16, row: u16) -> Vec<Effect> {
    if model.overlay.is_some() {
        return Vec::new();
    }
    let areas = Areas::of(model);
    let Some(panel) = areas.panel_at(column, row) else {
        return Vec::new();
    };
    super::set_focus(model, panel);
    match panel {
        Panel::Gallery => select_row(model, &areas, column, row),
        Panel::Params => {
            let first = areas.params.y + 1;
            let catalog = model.session.catalog.clone();
            let count = model.params.fields(&catalog).len();
            if row >= first && usize::from(row - first) < count {
                model.params.row = usize::from(row - first);
            }
        }
        Panel::Prompt => {}
    }
    Vec::new()
}

fn select_row(model: &mut Model, areas: &Areas, column: u16, row: u16) {
    if crate::layout::pictures::gallery_grid(model).is_some() {
        if let Some(index) = super::visible::entry_at(model, column, row) {
            model.gallery.selected = index;
        }
        return;
    }
    let list = areas.gallery;
    let inner_top = list.y + 1;
    if row < inner_top || row >= list.bottom().saturating_sub(1) {
        return;
    }
    let visible = usize::from(list.height.saturating_sub(2));
    let offset = gallery_offset(model.gallery.selected, visible);
    let index = offset + usize::from(row - inner_top);
    if index < model.gallery.len(&model.jobs) {
        model.gallery.selected = index;
    }
}

pub fn scroll(model: &mut Model, down: bool, column: u16, row: u16) -> Vec<Effect> {
    let step: isize = if down { 1 } else { -1 };
    match &mut model.overlay {
        Some(Overlay::Help { scroll } | Overlay::Details { scroll }) => {
            *scroll = scroll.saturating_add_signed(step as i16);
            return Vec::new();
        }
        Some(_) => return Vec::new(),
        None => {}
    }
    let areas = Areas::of(model);
    if contains(areas.gallery, column, row) {
        let columns = crate::layout::pictures::gallery_grid(model).map_or(1, |g| g.columns);
        model.gallery.move_by(&model.jobs, step * columns as isize);
    } else if contains(areas.params, column, row) {
        let catalog = model.session.catalog.clone();
        model.params.move_row(&catalog, step);
    }
    Vec::new()
}
