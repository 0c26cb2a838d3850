//! Small text helpers shared by the views.

use std::time::Duration;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(frame: usize) -> &'static str {
    SPINNER[frame % SPINNER.len()]
}

/// `7s`, `1m05s`, `2h03m`.
pub fn elapsed(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
    }
}

/// The first line of `text`, with a `…` when anything was left out.
pub fn one_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let safe = crate::util::inert::inert(first, 400);
    if lines.next().is_some() {
        format!("{safe} …")
    } else {
        safe
    }
}

/// A file's name without its folders, safe to draw, at most `max` characters.
pub fn file_name(path: &std::path::Path, max: usize) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    crate::util::inert::inert(&name, max)
}

/// `812 B`, `48.2 KB`, `3.1 MB` (powers of 1024, as the API's limits are).
pub fn human_bytes(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

/// The first keys of `commands` in `context`, joined by `sep` (`K/J`).
pub fn keys_of(
    keymap: &crate::keymap::Keymap,
    context: crate::keymap::Context,
    commands: &[crate::keymap::Command],
    sep: &str,
) -> String {
    commands
        .iter()
        .map(|c| keymap.key(context, *c))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A line of key hints: each key highlighted, then what it does.
pub fn key_hints<K: AsRef<str>>(
    hints: &[(K, &str)],
    theme: super::theme::Theme,
) -> ratatui::text::Line<'static> {
    use ratatui::text::Span;
    let mut spans = Vec::new();
    for (key, what) in hints {
        spans.push(Span::styled(key.as_ref().to_string(), theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    ratatui::text::Line::from(spans)
}
