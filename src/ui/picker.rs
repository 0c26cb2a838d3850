//! The model picker overlay.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel::overlay;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::overlay_area;
use crate::model::Model;
use crate::model::Overlay;
use crate::model::picker::{Picker, entries};

pub fn render_picker(model: &Model, picker: &Picker, theme: Theme, frame: &mut Frame) {
    let area = overlay_area(&Overlay::Picker(picker.clone()), frame.area());
    let title = format!(
        "Model · type to filter or name one · {}",
        model.keymap.key(Context::Picker, Command::Choose)
    );
    let inner = overlay(frame, area, &title, theme);
    let found = entries(
        &model.session.catalog,
        &model.remote_models,
        &picker.filter,
        model.session.today,
    );
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Name: ", theme.label()),
            Span::raw(crate::util::inert::inert(picker.filter.split().0, 80)),
            Span::styled("▏", theme.key()),
            Span::raw(crate::util::inert::inert(picker.filter.split().1, 80)),
        ]),
        Line::default(),
    ];
    if found.is_empty() {
        lines.push(Line::styled(
            format!(
                "No model in the table matches: {} uses the typed name as it is.",
                model.keymap.key(Context::Picker, Command::Choose)
            ),
            theme.dim(),
        ));
    }
    let current = model.params.model();
    for (at, entry) in found.iter().enumerate() {
        let mark = if entry.name == current { "●" } else { " " };
        let cursor = if at == picker.selected { "›" } else { " " };
        let mut spans = vec![Span::raw(format!(
            "{cursor}{mark} {:<24}",
            crate::util::inert::inert(&entry.name, 60)
        ))];
        if let Some(badge) = &entry.badge {
            spans.push(Span::styled(format!(" {badge}"), theme.warning()));
        }
        let line = Line::from(spans);
        lines.push(if at == picker.selected {
            line.patch_style(theme.selected())
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
