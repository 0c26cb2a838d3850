//! The path field of an export, a contact sheet or a batch file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::one_line;
use super::panel::panel;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::{inside, overlay_area};
use crate::model::{Model, Overlay, PathField, PathPurpose};

pub fn render_path_field(model: &Model, field: &PathField, theme: Theme, frame: &mut Frame) {
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let area = overlay_area(&Overlay::PathField(field.clone()), screen);
    frame.render_widget(Clear, area);
    let count = crate::model::export::chosen_count(model);
    let (title, help) = match field.purpose {
        PathPurpose::ExportFolder => (
            format!("Export {count} image(s) with sidecars to a folder"),
            "Files already there are kept; a different file of the same name gets -2.",
        ),
        PathPurpose::ContactSheet => (
            format!("Contact sheet of {count} image(s): PNG file"),
            "Thumbnails with their date, model and prompt.",
        ),
        PathPurpose::BatchFile => (
            "Run a batch file".to_string(),
            "A prompt per line, or JSON Lines; lines already done are skipped.",
        ),
    };
    panel(frame, area, &title, true, theme);
    let inner = inside(area);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.key()),
            Span::raw(one_line(field.text.split().0)),
            Span::styled("▏", theme.key()),
            Span::raw(one_line(field.text.split().1)),
        ]),
        Line::styled(help.to_string(), theme.dim()),
        Line::styled(
            format!(
                "{} completes · {} goes · {} closes",
                model.keymap.key(Context::PathField, Command::Complete),
                model.keymap.key(Context::PathField, Command::Choose),
                model.keymap.global(Command::Close),
            ),
            theme.dim(),
        ),
    ];
    for completion in field
        .completions
        .iter()
        .take(usize::from(inner.height).saturating_sub(4))
    {
        lines.push(Line::raw(format!("  {}", one_line(completion))));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
