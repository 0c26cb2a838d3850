//! The Batches view (batches submitted to the Batch API: status, counts,
//! estimated cost, age) and `B`'s question: run here, or on the Batch API,
//! with the price of each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::{key_hints, one_line};
use super::panel::panel;
use super::theme::Theme;
use crate::api::cost::Estimate;
use crate::keymap::{Command, Context};
use crate::layout::areas::{inside, overlay_area};
use crate::model::batches::{BatchChoice, BatchRow, BatchesView};
use crate::model::costs::estimate_text;
use crate::model::{Model, Overlay};

pub fn render_batches(model: &Model, theme: Theme, frame: &mut Frame) {
    let view = &model.batches;
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let area = overlay_area(&Overlay::Batches, screen);
    frame.render_widget(Clear, area);
    let title = match view.rows.len() {
        0 => "Batches (Batch API)".to_string(),
        n => format!("Batches (Batch API) · {n}"),
    };
    panel(frame, area, &title, true, theme);
    let inner = inside(area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if view.rows.is_empty() {
        lines.push(Line::raw(match view.asking {
            true => "Reading the batches…".to_string(),
            false => "No batches submitted from here yet.".to_string(),
        }));
        lines.push(Line::styled(
            format!(
                "{} in the gallery runs a batch file: here, or on the Batch API for less.",
                model.keymap.key(Context::Gallery, Command::Batch)
            ),
            theme.dim(),
        ));
    } else {
        lines.push(Line::styled(header(width), theme.label()));
        // Three lines are the footer's: the hints, the state, a blank.
        let room = usize::from(inner.height).saturating_sub(4);
        let first = view.selected.saturating_sub(room.saturating_sub(1));
        for (at, row) in view.rows.iter().enumerate().skip(first).take(room) {
            let text = row_text(view, row, width);
            let style = status_style(row, theme);
            let line = Line::from(vec![
                Span::raw(if at == view.selected { "›" } else { " " }),
                Span::styled(text, style),
            ]);
            lines.push(match at == view.selected {
                true => line.patch_style(theme.selected()),
                false => line,
            });
        }
    }
    let footer = footer(model, view, theme);
    let used = lines.len();
    let blank = usize::from(inner.height).saturating_sub(used + footer.len());
    lines.extend(std::iter::repeat_n(Line::raw(""), blank));
    lines.extend(footer);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Column widths: the file name takes what the others leave.
struct Columns {
    name: usize,
    file: usize,
}

const STATUS: usize = 12;
const DONE: usize = 14;
const COST: usize = 9;
const AGE: usize = 5;

fn columns(width: usize) -> Columns {
    let fixed = 1 + STATUS + DONE + COST + AGE + 5;
    let rest = width.saturating_sub(fixed);
    let name = (rest / 2).clamp(8, 34);
    Columns {
        name,
        file: rest.saturating_sub(name + 1),
    }
}

fn header(width: usize) -> String {
    let c = columns(width);
    format!(
        " {:<n$} {:<f$} {:<STATUS$} {:<DONE$} {:>COST$} {:>AGE$}",
        "batch",
        "file",
        "status",
        "done/all",
        "estimate",
        "age",
        n = c.name,
        f = c.file
    )
}

fn row_text(view: &BatchesView, row: &BatchRow, width: usize) -> String {
    let c = columns(width);
    let busy = view.busy.contains(&row.id);
    let status = match (&row.fetched, &row.status) {
        _ if busy => "working…".to_string(),
        (Some(_), _) => "fetched".to_string(),
        (None, Some(status)) => status.name().to_string(),
        (None, None) => "not created".to_string(),
    };
    let done = match row.fetched {
        Some((saved, failed)) => with_failed(saved as u64, row.requests as u64, failed as u64),
        None => {
            let total = match row.counts.total {
                0 => row.requests as u64,
                n => n,
            };
            with_failed(row.counts.completed, total, row.counts.failed)
        }
    };
    let cost = row.estimate_usd.map_or_else(
        || "?".to_string(),
        |usd| estimate_text(&Estimate::exact(usd)),
    );
    let age = view
        .read_at
        .map(|at| age(at.duration_since(row.created).as_secs()))
        .unwrap_or_default();
    format!(
        "{:<n$} {:<f$} {:<STATUS$} {:<DONE$} {:>COST$} {:>AGE$}",
        fit(&row.name, c.name),
        fit(&row.source, c.file),
        fit(&status, STATUS),
        fit(&done, DONE),
        fit(&cost, COST),
        age,
        n = c.name,
        f = c.file
    )
}

fn with_failed(done: u64, total: u64, failed: u64) -> String {
    match failed {
        0 => format!("{done}/{total}"),
        _ => format!("{done}/{total} ✗{failed}"),
    }
}

/// `45s`, `12m`, `3h`, `2d`.
fn age(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

/// At most `width` characters, safe to draw, `…` where cut.
fn fit(text: &str, width: usize) -> String {
    let safe = one_line(text);
    if safe.chars().count() <= width {
        return safe;
    }
    let kept: String = safe.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

fn status_style(row: &BatchRow, theme: Theme) -> ratatui::style::Style {
    use crate::api::batch_wire::BatchStatus;
    match (&row.fetched, &row.status) {
        (Some((_, 0)), _) => theme.good(),
        (Some(_), _) => theme.warning(),
        (None, Some(BatchStatus::Failed | BatchStatus::Expired | BatchStatus::Cancelled)) => {
            theme.error()
        }
        _ if row.ready() => theme.good(),
        _ => theme.running(),
    }
}

fn footer(model: &Model, view: &BatchesView, theme: Theme) -> Vec<Line<'static>> {
    let key = |command| model.keymap.key(Context::Batches, command);
    let hints = key_hints(
        &[
            (key(Command::FetchBatch), "fetch"),
            (key(Command::RetryBatch), "retry failed"),
            (key(Command::Cancel), "cancel (twice)"),
            (key(Command::Reload), "ask now"),
            (key(Command::Close), "close"),
        ],
        theme,
    );
    let state = match (&view.problem, view.asking, view.read_at) {
        (Some(problem), _, _) => Line::styled(one_line(problem), theme.error()),
        (None, true, _) => Line::styled("Asking the server…", theme.dim()),
        (None, false, Some(at)) => Line::styled(
            format!(
                "As of {} (updated while this view is open)",
                at.to_zoned(model.session.time_zone.clone())
                    .strftime("%H:%M:%S")
            ),
            theme.dim(),
        ),
        (None, false, None) => Line::raw(""),
    };
    vec![state, hints]
}

pub fn render_batch_choice(model: &Model, choice: &BatchChoice, theme: Theme, frame: &mut Frame) {
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let area = overlay_area(&Overlay::BatchChoice(choice.clone()), screen);
    frame.render_widget(Clear, area);
    let title = format!("Run {} line(s) of {}", choice.lines, fit(&choice.shown, 40));
    panel(frame, area, &title, true, theme);
    let inner = inside(area);
    let key = |command| model.keymap.key(Context::BatchChoice, command);
    let price = |estimate: Option<Estimate>| match (estimate, choice.free) {
        (Some(e), false) => format!("about {}", estimate_text(&e)),
        (Some(e), true) => format!("{} at OpenAI", estimate_text(&e)),
        (None, _) => "price unknown".to_string(),
    };
    let mut lines = Vec::new();
    let mut skipped = Vec::new();
    if choice.skipped > 0 {
        skipped.push(format!(
            "{} already done or waiting in a batch",
            choice.skipped
        ));
    }
    if choice.bad > 0 {
        skipped.push(format!("{} not valid", choice.bad));
    }
    if !skipped.is_empty() {
        lines.push(Line::styled(
            format!("Skipped: {}", skipped.join(", ")),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    let (here, batch_api) = (price(choice.here), price(choice.batch_api));
    // The price column is as wide as the longer price: a range can be long.
    let width = here.chars().count().max(batch_api.chars().count()) + 2;
    for (command, what, price, when) in [
        (
            Command::RunHere,
            "run here, now",
            here,
            "images as they come",
        ),
        (
            Command::SubmitBatchApi,
            "submit to the Batch API",
            batch_api,
            "within 24 hours",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<4}", key(command)), theme.key()),
            Span::raw(format!("{what:<26}")),
            Span::styled(format!("{price:<width$}"), theme.label()),
            Span::styled(when, theme.dim()),
        ]));
    }
    lines.push(Line::raw(""));
    if choice.edits > 0 {
        lines.push(Line::styled(
            format!(
                "{} edit line(s): the Batch API sends their pictures; here, `artty batch FILE` runs them.",
                choice.edits
            ),
            theme.warning(),
        ));
    }
    if choice.free {
        lines.push(Line::styled(
            "The demo server charges nothing either way.",
            theme.dim(),
        ));
    }
    if choice.batch_api.is_none() {
        lines.push(Line::styled(
            "The model table gives no Batch API price for a model used.",
            theme.dim(),
        ));
    }
    lines.push(Line::styled(
        format!(
            "{} in the gallery follows submitted batches · {} neither",
            model.keymap.key(Context::Gallery, Command::Batches),
            key(Command::Close),
        ),
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}
