//! Terminal input turned into actions: keys through the keymap (or into
//! the text field that has the keys), paste, mouse and resize.

use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};

use crate::action::Action;
use crate::model::Model;

pub fn to_action(model: &Model, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            match model.keymap.lookup(&model.contexts(), &key) {
                Some(command) => Some(Action::Run(command)),
                None => model.typing().then_some(Action::Type(key)),
            }
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                MouseEventKind::ScrollDown => Some(Action::Scroll {
                    down: true,
                    column,
                    row,
                }),
                MouseEventKind::ScrollUp => Some(Action::Scroll {
                    down: false,
                    column,
                    row,
                }),
                _ => None,
            }
        }
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    }
}
