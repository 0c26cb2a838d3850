//! The edit panel: the sources in the order they are sent, numbered so the
//! prompt can name them, each shown as a thumbnail; then exactly what will
//! be sent (format, pixel size and bytes of every file, whether the mask
//! matches) and how inputs are fitted to the model.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::format::{file_name, human_bytes, keys_of};
use super::panel::overlay;
use super::picture::render_picture;
use super::theme::Theme;
use crate::api::Endpoint;
use crate::keymap::{Command, Context};
use crate::layout::areas::overlay_area;
use crate::layout::edit::{first_shown, strip};
use crate::layout::picture_box::Picture;
use crate::layout::pictures::in_area;
use crate::model::edit::{EditDraft, PathFor, Preparation};
use crate::model::{Model, Overlay};
use crate::util::inert::inert;

/// Completions listed under the path field.
const COMPLETIONS_SHOWN: usize = 8;

pub fn render_edit(model: &Model, pictures: &[Picture], theme: Theme, frame: &mut Frame) {
    let Some(draft) = &model.edit else { return };
    let area = overlay_area(&Overlay::Edit, frame.area());
    let what = match draft.endpoint {
        Endpoint::Variations => "Variation",
        _ => "Edit",
    };
    let keys = &model.keymap;
    let title = format!(
        "{what} · {} · {} sends · {} closes (kept) · {} discards",
        model.params.model(),
        keys.global(Command::Generate),
        keys.global(Command::Close),
        keys.key(Context::Edit, Command::Discard),
    );
    let inner = overlay(frame, area, &title, theme);
    let mut text_area = inner;
    if let Some(grid) = strip(model) {
        let first = first_shown(&grid, draft.selected);
        for (slot, path) in draft
            .sources
            .iter()
            .enumerate()
            .skip(first)
            .take(grid.columns)
        {
            let (picture, caption) = grid.tile(slot - first);
            if let Some(p) = in_area(pictures, picture) {
                render_picture(model, p, theme, frame);
            }
            let name = file_name(path, 48);
            let style = if slot == draft.selected {
                theme.selected()
            } else {
                theme.label()
            };
            frame.render_widget(
                Paragraph::new(Line::styled(format!("{} {name}", slot + 1), style)),
                caption,
            );
        }
        let used = grid.picture.1 + 2;
        text_area = Rect {
            y: inner.y + used,
            height: inner.height.saturating_sub(used),
            ..inner
        };
    }
    frame.render_widget(
        Paragraph::new(lines(model, draft, theme)).wrap(Wrap { trim: false }),
        text_area,
    );
}

fn lines(model: &Model, draft: &EditDraft, theme: Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(input) = &draft.path_input {
        let what = match input.purpose {
            PathFor::Source => "Add image",
            PathFor::Mask => "Load mask",
        };
        out.push(Line::from(vec![
            Span::styled(format!("{what}: "), theme.label()),
            Span::raw(inert(input.text.split().0, 400)),
            Span::styled("▏", theme.key()),
            Span::raw(inert(input.text.split().1, 400)),
            Span::styled(
                format!(
                    "   {} completes · {} uses it · {} cancels",
                    model.keymap.key(Context::EditPath, Command::Complete),
                    model.keymap.key(Context::EditPath, Command::Choose),
                    model.keymap.global(Command::Close),
                ),
                theme.dim(),
            ),
        ]));
        for c in input.completions.iter().take(COMPLETIONS_SHOWN) {
            out.push(Line::styled(format!("  {}", inert(c, 200)), theme.dim()));
        }
        if input.completions.len() > COMPLETIONS_SHOWN {
            out.push(Line::styled(
                format!("  … {} more", input.completions.len() - COMPLETIONS_SHOWN),
                theme.dim(),
            ));
        }
        out.push(Line::default());
    }
    out.push(Line::styled("What will be sent", theme.label()));
    let prepared = draft.ready();
    for (i, path) in draft.sources.iter().enumerate() {
        let marker = if i == draft.selected { "▶" } else { " " };
        let mut line = vec![Span::raw(format!(
            "{marker}{:>2} {:<24} ",
            i + 1,
            file_name(path, 48)
        ))];
        match prepared.and_then(|p| p.images.get(i)) {
            Some(fitted) => {
                line.push(file_columns(&fitted.image));
                if fitted.changes.is_empty() {
                    line.push(Span::styled("as is", theme.dim()));
                } else {
                    line.push(Span::styled(fitted.changes.join(", "), theme.warning()));
                }
            }
            None => line.push(Span::styled("…", theme.dim())),
        }
        out.push(Line::from(line));
    }
    if draft.sources.is_empty() {
        out.push(Line::styled(
            "   no source image: a adds one from a file, or e on a gallery image",
            theme.warning(),
        ));
    }
    out.push(mask_line(draft, theme));
    out.extend(markup_line(draft, theme));
    if let Preparation::Failed(why) = &draft.preparation
        && draft.prepared_version == draft.version
    {
        out.push(Line::styled(
            format!("Cannot send: {}", inert(why, 400)),
            theme.error(),
        ));
    }
    out.push(Line::default());
    out.extend(settings(model, draft, theme));
    out
}

/// The markup, when marks are drawn: what goes as `markup`, and the
/// reason it cannot go when a mask is painted too.
fn markup_line(draft: &EditDraft, theme: Theme) -> Option<Line<'static>> {
    let marks = draft.markup.as_ref().filter(|m| !m.is_empty())?.marks.len();
    let mut line = vec![Span::raw(format!(
        "    markup {:<17} ",
        format!("{marks} mark(s)")
    ))];
    if let Some(sent) = draft.ready().and_then(|p| p.markup.as_ref()) {
        line.push(file_columns(&sent.sent));
    }
    if draft.mask.is_some() {
        line.push(Span::styled(
            "a mask is painted too: the API takes one or the other (c clears the mask)",
            theme.error(),
        ));
    } else {
        line.push(Span::styled("drawn over image 1", theme.good()));
    }
    Some(Line::from(line))
}

/// Format, pixel size and bytes of a file as it will be sent.
fn file_columns(image: &crate::api::InputImage) -> Span<'static> {
    let info = image.info;
    Span::raw(format!(
        "{:<5}{:>10}{:>10}  ",
        info.format.api_name(),
        format!("{}×{}", info.width, info.height),
        human_bytes(image.bytes.len() as u64)
    ))
}

fn mask_line(draft: &EditDraft, theme: Theme) -> Line<'static> {
    if draft.is_variation() {
        return Line::styled("    variations take no mask and no prompt", theme.dim());
    }
    let Some(mask) = &draft.mask else {
        return Line::styled(
            "    no mask: the whole image may change (m paints one, M loads one)",
            theme.dim(),
        );
    };
    let origin = match (&mask.file, mask.touched) {
        (Some(path), false) => format!("from {}", file_name(path, 48)),
        (Some(path), true) => format!("from {}, painted over", file_name(path, 48)),
        (None, _) => "painted".into(),
    };
    let mut line = vec![Span::raw(format!(
        "    mask {:<19} ",
        format!("{}%", mask.edits.grid.percent())
    ))];
    match draft
        .ready()
        .and_then(|p| p.mask.as_ref().map(|m| (m, p.mask_matches())))
    {
        Some((m, matches)) => {
            line.push(file_columns(&m.sent));
            if matches {
                line.push(Span::styled(
                    format!("{origin}, matches image 1"),
                    theme.good(),
                ));
            } else {
                line.push(Span::styled(
                    format!("{origin}, does NOT match image 1"),
                    theme.error(),
                ));
            }
        }
        None => line.push(Span::styled(format!("{origin} …"), theme.dim())),
    }
    Line::from(line)
}

fn settings(model: &Model, draft: &EditDraft, theme: Theme) -> Vec<Line<'static>> {
    let spec = model.session.catalog.get(model.params.model());
    let square = spec.and_then(|s| s.edit.as_ref()).is_some_and(|e| e.square);
    let edge = draft
        .fit
        .longest_edge
        .map_or("as is".to_string(), |e| format!("{e} px"));
    let mut fit = vec![
        Span::styled("Fit: ", theme.label()),
        Span::raw(format!("longest edge {edge} (L)")),
    ];
    if square {
        fit.push(Span::raw(format!(
            " · square by {} (f)",
            draft.fit.square.label()
        )));
    }
    if !draft.is_variation() {
        fit.push(Span::raw(format!(
            " · mask feather {} px (F)",
            draft.feather
        )));
    }
    let mut out = vec![Line::from(fit)];
    if let Some(fidelity) = &model.params.values.input_fidelity {
        out.push(Line::from(format!(
            "Input fidelity: {fidelity} (parameters panel)"
        )));
    }
    if !draft.is_variation() {
        let prompt = model.prompt.content();
        let shown = if prompt.trim().is_empty() {
            format!(
                "(none yet: {}, then type it in the prompt panel)",
                model.keymap.global(Command::Close)
            )
        } else {
            inert(&prompt.replace('\n', " "), 300)
        };
        out.push(Line::from(vec![
            Span::styled("Prompt: ", theme.label()),
            Span::raw(shown),
        ]));
    }
    let keys = &model.keymap;
    let edit = |commands: &[Command], sep: &str| keys_of(keys, Context::Edit, commands, sep);
    let hints = [
        (edit(&[Command::Up, Command::Down], ""), "select"),
        (
            edit(&[Command::MoveEarlier, Command::MoveLater], "/"),
            "reorder",
        ),
        (edit(&[Command::AddSource], ""), "add file"),
        (edit(&[Command::Delete], ""), "remove"),
        (edit(&[Command::PaintMask], ""), "paint mask"),
        (edit(&[Command::LoadMask], ""), "load mask"),
        (edit(&[Command::ClearMask], ""), "no mask"),
        (
            keys.gallery_key(Command::EditImage),
            "in the gallery adds an image",
        ),
    ];
    out.push(Line::default());
    out.push(super::format::key_hints(&hints, theme));
    out
}
