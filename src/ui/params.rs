//! The parameters panel: one row per parameter the model takes, the value
//! to be sent or "default" (not sent), and the lifecycle of the model.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panel::panel;
use super::theme::Theme;
use crate::api::Lifecycle;
use crate::model::params::Field;
use crate::model::{Model, Panel};

const LABEL_WIDTH: usize = 15;

pub fn render_params(model: &Model, theme: Theme, area: Rect, frame: &mut Frame) {
    if area.height < 3 {
        return;
    }
    let focused = model.focus == Panel::Params && model.overlay.is_none();
    let inner = panel(frame, area, "Parameters", focused, theme);
    let catalog = &model.session.catalog;
    let fields = model.params.fields(catalog);
    let row = model.params.row.min(fields.len() - 1);
    let mut lines: Vec<Line> = fields
        .iter()
        .enumerate()
        .map(|(at, field)| field_line(model, *field, focused && at == row, theme))
        .collect();
    if let Some(sweep) = &model.sweep {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(" sweep ", theme.badge()),
            Span::styled(format!(" {}", sweep.label()), theme.warning()),
        ]));
    }
    if let Some(note) = lifecycle_note(model) {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(note, theme.warning())));
    }
    let used = (lines.len() as u16).min(inner.height);
    frame.render_widget(Paragraph::new(lines), inner);
    // The table's reasons go below the rows and wrap, so they are read whole.
    let below = Rect {
        y: inner.y + used,
        height: inner.height - used,
        ..inner
    };
    let checks = check_lines(model, &fields, theme);
    frame.render_widget(Paragraph::new(checks).wrap(Wrap { trim: false }), below);
}

/// What the model table refuses in the values as they stand (marked on
/// their rows too) and what is sent with a caveat.
fn check_lines(model: &Model, fields: &[Field], theme: Theme) -> Vec<Line<'static>> {
    let params = &model.params;
    let mut lines = Vec::new();
    match params.size_input.as_ref().map(|input| &input.check) {
        Some(Err(why)) => lines.push(Line::styled(
            crate::util::inert::inert(&format!(" ✗ size: {why}"), 300),
            theme.error(),
        )),
        Some(Ok(Some(warning))) => lines.push(Line::styled(
            crate::util::inert::inert(&format!(" ⚠ size: {warning}"), 300),
            theme.warning(),
        )),
        _ => {}
    }
    for problem in &params.problems {
        let on_a_row = fields.iter().any(|f| f.param() == problem.param);
        let text = if on_a_row {
            format!(" ✗ {}", problem.message)
        } else {
            format!(" ✗ {problem}")
        };
        lines.push(Line::from(Span::styled(
            crate::util::inert::inert(&text, 300),
            theme.error(),
        )));
    }
    for note in &params.notes {
        lines.push(Line::from(Span::styled(
            crate::util::inert::inert(&format!(" ⚠ {note}"), 300),
            theme.warning(),
        )));
    }
    if !lines.is_empty() {
        lines.insert(0, Line::default());
    }
    lines
}

fn field_line(model: &Model, field: Field, selected: bool, theme: Theme) -> Line<'static> {
    let label = Span::styled(format!(" {:<LABEL_WIDTH$}", field.label()), theme.label());
    if let (Field::Size, Some(input)) = (field, &model.params.size_input) {
        // The reason is below the rows, wrapped, so it is read whole.
        let (mark, style) = match &input.check {
            Ok(None) => ("✓", theme.good()),
            Ok(Some(_)) => ("⚠", theme.warning()),
            Err(_) => ("✗", theme.error()),
        };
        return Line::from(vec![
            label,
            Span::styled(
                format!("[{}▏{}]", input.text.split().0, input.text.split().1),
                theme.selected(),
            ),
            Span::styled(format!(" {mark}"), style),
        ]);
    }
    let value = match model.params.value(field) {
        Some(value) if field == Field::Stream => {
            Span::raw(if value == "true" { "on" } else { "off" })
        }
        Some(value) => Span::raw(crate::util::inert::inert(&value, 60)),
        None => Span::styled("default", theme.dim()),
    };
    let mut spans = vec![label];
    if selected {
        spans.push(Span::styled("◀ ", theme.key()));
        spans.push(value.patch_style(theme.selected()));
        spans.push(Span::styled(" ▶", theme.key()));
    } else {
        spans.push(Span::raw("  "));
        spans.push(value);
    }
    if let Some(values) = swept(model, field) {
        spans.push(Span::styled(
            format!("  sweep: {}", crate::util::inert::inert(&values, 80)),
            theme.warning(),
        ));
    }
    if let Some(problem) = model.params.problem(field) {
        let reason = crate::util::inert::inert(&problem.message, 200);
        spans.push(Span::styled(format!(" ✗ {reason}"), theme.error()));
    }
    if field == Field::Model
        && let Some(badge) = model_badge(model)
    {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(badge, theme.badge()));
    }
    Line::from(spans)
}

/// The values a field sweeps over, if any.
fn swept(model: &Model, field: Field) -> Option<String> {
    let sweep = model.sweep.as_ref()?;
    let list = match field {
        Field::Model => &sweep.models,
        Field::Size => &sweep.sizes,
        Field::Quality => &sweep.qualities,
        _ => return None,
    };
    (!list.is_empty()).then(|| list.join(", "))
}

fn model_badge(model: &Model) -> Option<String> {
    let spec = model.session.catalog.get(model.params.model());
    match spec.map(|s| s.lifecycle(model.session.today)) {
        Some(Lifecycle::ShutDown { .. }) => Some(" SHUT DOWN ".into()),
        Some(Lifecycle::Deprecated { .. }) => Some(" DEPRECATED ".into()),
        Some(Lifecycle::Active) => None,
        None => Some(" CUSTOM ".into()),
    }
}

fn lifecycle_note(model: &Model) -> Option<String> {
    let spec = model.session.catalog.get(model.params.model())?;
    let replacement = spec
        .replacement
        .as_deref()
        .map(|r| format!("; use {r}"))
        .unwrap_or_default();
    match spec.lifecycle(model.session.today) {
        Lifecycle::Active => None,
        Lifecycle::Deprecated { shutdown } => {
            Some(format!(" ⚠ shuts down on {shutdown}{replacement}"))
        }
        Lifecycle::ShutDown { since } => {
            Some(format!(" ⚠ shut down on OpenAI since {since}{replacement}"))
        }
    }
}
