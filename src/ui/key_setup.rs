//! The API key and server overlay. The key field is masked; the key in use
//! is shown only as `sk-…wxyz` with where it came from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panel::overlay;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::overlay_area;
use crate::model::Model;
use crate::model::Overlay;
use crate::model::key_setup::{KeyCheck, KeyField};

pub fn render_key_setup(model: &Model, theme: Theme, frame: &mut Frame) {
    let area = overlay_area(&Overlay::KeySetup, frame.area());
    let title = format!(
        "API key and server · {} closes",
        model.keymap.global(Command::Close)
    );
    let inner = overlay(frame, area, &title, theme);
    let setup = &model.key_setup;
    let mut y = inner.y;
    let intro = if model.session.demo {
        "Demo mode (DEMO in the status bar): a fake server on this machine, no key, no cost. A key saved here is used when artty starts without --demo."
    } else {
        "Paste a key from https://platform.openai.com/api-keys. Base URL, organization and project are optional."
    };
    let intro_height = 2.min(inner.height);
    frame.render_widget(
        Paragraph::new(Line::styled(intro, theme.dim())).wrap(Wrap { trim: true }),
        Rect::new(inner.x, y, inner.width, intro_height),
    );
    y += intro_height + 1;
    for field in KeyField::ALL {
        if y + 1 >= inner.bottom() {
            break;
        }
        let focused = setup.focused() == field;
        let marker = if focused { "▶" } else { " " };
        let label = Span::styled(format!("{marker} {:<13}", field.label()), theme.label());
        frame.render_widget(
            Paragraph::new(Line::from(label)),
            Rect::new(inner.x, y, 16, 1),
        );
        let input = Rect::new(inner.x + 16, y, inner.width.saturating_sub(16), 1);
        frame.render_widget(setup.field(field), input);
        y += 1;
    }
    let mut lines = vec![
        Line::default(),
        active_line(model, theme),
        check_line(
            &setup.check,
            &model.keymap.key(Context::KeySetup, Command::CheckKey),
            theme,
        ),
    ];
    if let Some(note) = &setup.note {
        lines.push(Line::from(crate::util::inert::inert(note, 300)));
    }
    lines.push(Line::default());
    lines.push(Line::styled(actions_hint(model), theme.key()));
    let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}

fn active_line(model: &Model, theme: Theme) -> Line<'static> {
    match &model.key_setup.active {
        Some(active) => Line::from(vec![
            Span::styled("In use: ", theme.label()),
            Span::raw(format!(
                "{} from {}",
                active.masked,
                crate::util::inert::inert(&active.source, 200)
            )),
        ]),
        None if model.session.demo => Line::from(vec![
            Span::styled("In use: ", theme.label()),
            Span::raw("none needed (demo)"),
        ]),
        None => Line::from(vec![
            Span::styled("In use: ", theme.label()),
            Span::styled("no key yet", theme.warning()),
        ]),
    }
}

fn check_line(check: &KeyCheck, check_key: &str, theme: Theme) -> Line<'static> {
    match check {
        KeyCheck::NotChecked => Line::styled(
            format!("Not checked yet: {check_key} asks the server."),
            theme.dim(),
        ),
        KeyCheck::Checking => Line::styled("Checking with the server…", theme.running()),
        KeyCheck::Works { image_models } => Line::styled(
            format!("✓ key works, {image_models} image models available"),
            theme.good(),
        ),
        KeyCheck::Failed(why) => Line::styled(
            format!("✗ {}", crate::util::inert::inert(why, 600)),
            theme.error(),
        ),
    }
}

/// The overlay's own commands, from the keymap that dispatches them.
fn actions_hint(model: &Model) -> String {
    model
        .keymap
        .in_context(crate::keymap::Context::KeySetup)
        .filter(|b| !matches!(b.command, Command::NextField | Command::PrevField))
        .filter_map(|b| Some(format!("{} {}", b.keys.first()?, b.help)))
        .collect::<Vec<_>>()
        .join(" · ")
}
