//! The three lines under the panels: what will be sent, the last message,
//! and the status bar (mode, jobs, key hints for what has the keys).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::Areas;
use crate::model::costs::{money, pending_cost_text};
use crate::model::{Level, Model};

pub fn render_footer(model: &Model, theme: Theme, areas: &Areas, frame: &mut Frame) {
    let mut summary = vec![
        Span::styled(" Sends: ", theme.label()),
        Span::raw(crate::util::inert::inert(
            &model.params.summary(&model.session.catalog),
            300,
        )),
    ];
    if let Some(draft) = &model.edit {
        summary.push(Span::styled(
            format!(
                "  {}  {}",
                edit_summary(draft),
                model.keymap.global(Command::EditPanel)
            ),
            theme.warning(),
        ));
    } else if let Some(sweep) = &model.sweep {
        summary.push(Span::styled(
            format!("  sweep: {}", sweep.label()),
            theme.warning(),
        ));
    }
    let spent = spent(model);
    let used: usize = summary.iter().map(|s| s.width()).sum();
    let room = usize::from(areas.summary.width).saturating_sub(used + spent.chars().count());
    if room > 1 {
        summary.push(Span::raw(" ".repeat(room)));
        summary.push(Span::styled(spent, theme.dim()));
    }
    let summary = Line::from(summary);
    frame.render_widget(Paragraph::new(summary), areas.summary);
    frame.render_widget(Paragraph::new(message(model, theme)), areas.message);
    frame.render_widget(
        Paragraph::new(status_bar(model, theme, areas.status)),
        areas.status,
    );
}

/// `today $1.23 · Nov $12.40`, with images of unknown cost counted apart.
fn spent(model: &Model) -> String {
    let costs = &model.gallery.costs;
    let unknown = |n: usize| {
        if n > 0 {
            format!(" +{n} unpriced")
        } else {
            String::new()
        }
    };
    let month = model.session.today.strftime("%b");
    format!(
        "today {}{} · {month} {}{} ",
        money(costs.today),
        unknown(costs.unknown_today),
        money(costs.month),
        unknown(costs.unknown_month)
    )
}

/// The Generate hint says what it will send and cost: `generate ~$0.04`,
/// `sweep 6 ~$0.42`, `generate (cost unknown)`.
fn generate_hint(model: &Model) -> String {
    let what = match (&model.edit, &model.sweep) {
        (None, Some(sweep)) => format!("sweep {}", sweep.count()),
        _ => "generate".to_string(),
    };
    if model.session.demo {
        return what;
    }
    format!("{what} {}", pending_cost_text(model))
}

/// What Ctrl+G sends while an edit is open: `edit of 2 images + mask`.
fn edit_summary(draft: &crate::model::edit::EditDraft) -> String {
    let count = draft.sources.len();
    let images = if count == 1 {
        "1 image".to_string()
    } else {
        format!("{count} images")
    };
    match (draft.is_variation(), &draft.mask) {
        (true, _) => format!("variation of {images}"),
        (false, Some(_)) => format!("edit of {images} + mask"),
        (false, None) => format!("edit of {images}"),
    }
}

fn message(model: &Model, theme: Theme) -> Line<'static> {
    let Some(status) = &model.status else {
        return Line::default();
    };
    let (mark, style) = match status.level {
        Level::Info => (" ", theme.good()),
        Level::Warning => ("⚠", theme.warning()),
        Level::Error => ("✗", theme.error()),
    };
    Line::from(vec![
        Span::styled(format!(" {mark} "), style),
        Span::styled(crate::util::inert::inert(&status.text, 1000), style),
    ])
}

fn status_bar(model: &Model, theme: Theme, area: Rect) -> Line<'static> {
    let mut spans = Vec::new();
    if model.session.demo {
        spans.push(Span::styled(" DEMO: own gallery, no cost ", theme.badge()));
    } else if !model.has_key() {
        spans.push(Span::styled(
            format!(" NO KEY: {} ", model.keymap.global(Command::KeySetup)),
            theme.badge(),
        ));
    }
    let running = model.jobs.running();
    let jobs = if running > 0 {
        format!(" jobs {running} running ")
    } else {
        " jobs 0 ".to_string()
    };
    spans.push(Span::styled(jobs, theme.label()));
    let used: usize = spans.iter().map(|s| s.width()).sum();
    spans.extend(hints(
        model,
        theme,
        usize::from(area.width).saturating_sub(used),
    ));
    Line::from(spans)
}

/// Key hints, as many as fit: help, generate and quit first at any width
/// (they are what a person looks for), then the keys of the context that
/// has them. A key shadowed by the context is not hinted for its global
/// meaning, and no key is hinted twice.
fn hints(model: &Model, theme: Theme, room: usize) -> Vec<Span<'static>> {
    let contexts = model.contexts();
    let keymap = &model.keymap;
    let live = |context, command| {
        contexts
            .contains(&context)
            .then(|| keymap.live_key(&contexts, context, command))
            .flatten()
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    // In help, F1 closes it: the hint says so.
    let help = match contexts[0] {
        Context::Help => live(Context::Help, Command::Close).map(|key| (key, "close help")),
        _ => live(Context::Global, Command::Help).map(|key| (key, "help")),
    };
    if let Some((key, name)) = help {
        pairs.push((key, name.into()));
    }
    if let Some(key) = live(Context::Global, Command::Generate) {
        pairs.push((key, generate_hint(model)));
    }
    if let Some(key) = live(Context::Navigation, Command::Quit)
        .or_else(|| live(Context::Global, Command::ForceQuit))
    {
        pairs.push((key, "quit".into()));
    }
    for binding in keymap.in_context(contexts[0]) {
        if is_movement(binding.command) {
            continue;
        }
        if let Some(key) = live(contexts[0], binding.command) {
            pairs.push((key, binding.command.name().replace('_', " ")));
        }
    }
    // Tab moves between panels only when no overlay is open.
    if let Some(key) = live(Context::Global, Command::FocusNext).filter(|_| model.overlay.is_none())
    {
        pairs.push((key, "focus next".into()));
    }
    let mut spans = Vec::new();
    let mut used = 0;
    let mut hinted: Vec<String> = Vec::new();
    for (key, name) in pairs {
        if hinted.contains(&key) {
            continue;
        }
        let width = key.chars().count() + name.chars().count() + 3;
        if used + width > room {
            break;
        }
        used += width;
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::raw(format!(" {name} ")));
        hinted.push(key);
    }
    spans
}

/// Arrow-key movement goes without saying; hints keep the room for the rest.
fn is_movement(command: Command) -> bool {
    matches!(
        command,
        Command::Up
            | Command::Down
            | Command::Left
            | Command::Right
            | Command::PageUp
            | Command::PageDown
            | Command::Top
            | Command::Bottom
            | Command::NextField
            | Command::PrevField
    )
}
