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
            if model.overlay == Some(crate::model::Overlay::Painter) {
                return painting(mouse.kind, column, row);
            }
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

/// In the painter the left button paints and the right one erases, on a
/// click and while dragging.
fn painting(kind: MouseEventKind, column: u16, row: u16) -> Option<Action> {
    let erase = match kind {
        MouseEventKind::Down(MouseButton::Left) | MouseEventKind::Drag(MouseButton::Left) => false,
        MouseEventKind::Down(MouseButton::Right) | MouseEventKind::Drag(MouseButton::Right) => true,
        _ => return None,
    };
    Some(Action::Paint { column, row, erase })
}
