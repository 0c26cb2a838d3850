//! Drawing: a pure function of the model. One `render_*` per panel, with
//! the same names as `model/`; where things go is `crate::layout`.

mod batches;
mod compare;
mod confirm;
mod details;
pub mod edit_panel;
mod family;
mod format;
mod gallery;
mod help;
mod key_setup;
pub mod markup;
pub mod painter;
mod panel;
mod params;
mod path_field;
mod picker;
mod picture;
mod preview;
mod prompt;
mod status;
pub mod theme;

use ratatui::Frame;

use crate::layout::areas::Areas;
use crate::layout::pictures;
use crate::model::{Model, Overlay};
use theme::Theme;

pub fn render(model: &Model, frame: &mut Frame) {
    let areas = Areas::compute(frame.area(), model.focus, model.prompt.text.lines());
    let theme = Theme::new(model.session.color);
    prompt::render_prompt(model, theme, areas.prompt, frame);
    params::render_params(model, theme, areas.params, frame);
    // Computed once per frame; each view draws the ones in its areas.
    let pictures = pictures::pictures(model);
    gallery::render_gallery(model, &pictures, theme, areas.gallery, frame);
    preview::render_preview(model, &pictures, theme, areas.preview, frame);
    status::render_footer(model, theme, &areas, frame);
    match &model.overlay {
        Some(Overlay::Help { scroll }) => help::render_help(model, theme, *scroll, frame),
        Some(Overlay::KeySetup) => key_setup::render_key_setup(model, theme, frame),
        Some(Overlay::Picker(picker)) => picker::render_picker(model, picker, theme, frame),
        Some(Overlay::Details { scroll }) => {
            details::render_details(model, &pictures, theme, *scroll, frame)
        }
        Some(Overlay::ConfirmQuit) => confirm::render_confirm(model, theme, frame),
        Some(Overlay::Edit) => edit_panel::render_edit(model, &pictures, theme, frame),
        Some(Overlay::Painter) => painter::render_painter(model, theme, frame),
        Some(Overlay::Compare(compare)) => {
            compare::render_compare(model, compare, &pictures, theme, frame)
        }
        Some(Overlay::Family(view)) => family::render_family(model, view, theme, frame),
        Some(Overlay::PathField(field)) => {
            path_field::render_path_field(model, field, theme, frame)
        }
        Some(Overlay::Batches) => batches::render_batches(model, theme, frame),
        Some(Overlay::BatchChoice(choice)) => {
            batches::render_batch_choice(model, choice, theme, frame)
        }
        None => {}
    }
}
