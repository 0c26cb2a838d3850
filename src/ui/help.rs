//! The help overlay, drawn from the keymap table that dispatches the keys,
//! plus the text-editing keys the prompt field understands.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel::overlay;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::overlay_area;
use crate::model::Model;
use crate::model::Overlay;

/// The text field's own keys (readline/emacs style), which keys.toml does not change.
pub const TEXT_KEYS: &[(&str, &str)] = &[
    (
        "Ctrl+A / Ctrl+E, Home / End",
        "start / end of line (Ctrl+E opens the editor in the prompt)",
    ),
    (
        "Ctrl+B / Ctrl+F, Alt+B / Alt+F",
        "back / forward a character, a word",
    ),
    ("Ctrl+P / Ctrl+N", "line up / down"),
    ("Ctrl+H, Ctrl+D", "delete before / under the cursor"),
    ("Ctrl+W, Alt+D", "delete the word before / after"),
    ("Ctrl+K, Ctrl+J", "delete to the end of line; new line"),
    ("Ctrl+U or Ctrl+Z, Ctrl+R", "undo, redo"),
    ("Ctrl+Y", "paste what was deleted"),
];

pub fn render_help(model: &Model, theme: Theme, scroll: u16, frame: &mut Frame) {
    let area = overlay_area(&Overlay::Help { scroll }, frame.area());
    let keys = &model.keymap;
    let title = format!(
        "Help · {} closes · {}{} scroll",
        keys.global(Command::Close),
        keys.key(Context::Help, Command::Up),
        keys.key(Context::Help, Command::Down)
    );
    let inner = overlay(frame, area, &title, theme);
    let images = model.session.images;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Images: ", theme.label()),
            Span::raw(format!(
                "{} · cell {}×{} px · --graphics or `graphics` in config.toml changes it",
                images.graphics.describe(),
                images.cell.0,
                images.cell.1
            )),
        ]),
        Line::default(),
    ];
    for context in Context::ALL {
        lines.push(Line::styled(
            context.title().to_string(),
            theme.title(false),
        ));
        for binding in model.keymap.in_context(context) {
            let keys: Vec<String> = binding.keys.iter().map(|k| k.to_string()).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", keys.join(" ")), theme.key()),
                Span::raw(binding.help.to_string()),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::styled("Text fields", theme.title(false)));
    for (keys, what) in TEXT_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<32}"), theme.key()),
            Span::raw(what.to_string()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Keys can be changed in keys.toml in the config folder (see docs/keybindings.md).",
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
