//! Key and mouse events from the bytes terminals send for them, the
//! encodings xterm, kitty (legacy mode), VTE, tmux and Konsole use: control
//! bytes, UTF-8, `ESC` + key for Alt, SS3 and CSI keys with modifiers, SGR
//! and X10 mouse reports.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// A key from one control byte or printable character.
pub fn from_char(ch: char) -> KeyEvent {
    match ch {
        '\r' => KeyCode::Enter.into(),
        '\t' => KeyCode::Tab.into(),
        '\x7f' | '\x08' => KeyCode::Backspace.into(),
        '\0' => KeyEvent::new(KeyCode::Char(' '), KeyModifiers::CONTROL),
        c @ '\x01'..='\x1a' => KeyEvent::new(
            KeyCode::Char((c as u8 - 1 + b'a') as char),
            KeyModifiers::CONTROL,
        ),
        c @ '\x1c'..='\x1f' => KeyEvent::new(
            KeyCode::Char((c as u8 - 0x1c + b'4') as char),
            KeyModifiers::CONTROL,
        ),
        c if c.is_uppercase() => KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT),
        c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
    }
}

/// `key` as typed with Alt held (sent as ESC before it).
pub fn with_alt(mut key: KeyEvent) -> KeyEvent {
    key.modifiers |= KeyModifiers::ALT;
    key
}

/// An SS3 key (`ESC O x`).
pub fn from_ss3(byte: u8) -> Option<KeyEvent> {
    letter_key(byte).map(KeyEvent::from)
}

fn letter_key(byte: u8) -> Option<KeyCode> {
    Some(match byte {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'E' => KeyCode::KeypadBegin,
        b'P'..=b'S' => KeyCode::F(1 + byte - b'P'),
        _ => return None,
    })
}

/// A key or mouse event in a control sequence, or `None` for sequences
/// that mean nothing to the app (focus reports, unknown keys).
pub fn from_csi(params: &[u8], final_byte: u8) -> Option<Event> {
    if let Some(mouse) = params.strip_prefix(b"<") {
        return sgr_mouse(mouse, final_byte).map(Event::Mouse);
    }
    let text = std::str::from_utf8(params).ok()?;
    let mut fields = text.split(';');
    let first = fields.next().unwrap_or("");
    // `mods` or `mods:kind` (kitty's event types).
    let (mask, kind) = fields.next().map_or((1, 1), |m| {
        let mut parts = m.split(':');
        let mask = parts.next().and_then(|p| p.parse().ok()).unwrap_or(1);
        let kind = parts.next().and_then(|p| p.parse().ok()).unwrap_or(1);
        (mask, kind)
    });
    let modifiers = modifiers(mask);
    let kind = match kind {
        2 => KeyEventKind::Repeat,
        3 => KeyEventKind::Release,
        _ => KeyEventKind::Press,
    };
    let code = match final_byte {
        b'~' => tilde_key(first.parse().ok()?)?,
        b'Z' => {
            return Some(Event::Key(KeyEvent::new(
                KeyCode::BackTab,
                KeyModifiers::SHIFT,
            )));
        }
        b'u' => unicode_key(first.parse().ok()?)?,
        b'I' | b'O' if params.is_empty() => return None,
        other => letter_key(other)?,
    };
    let mut key = KeyEvent::new_with_kind(code, modifiers, kind);
    if let (KeyCode::Char(c), true) = (code, modifiers.contains(KeyModifiers::SHIFT)) {
        key.code = KeyCode::Char(c.to_ascii_uppercase());
    }
    Some(Event::Key(key))
}

fn tilde_key(number: u8) -> Option<KeyCode> {
    Some(match number {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        n @ 11..=15 => KeyCode::F(n - 10),
        n @ 17..=21 => KeyCode::F(n - 11),
        n @ 23..=26 => KeyCode::F(n - 12),
        n @ 28..=29 => KeyCode::F(n - 15),
        n @ 31..=34 => KeyCode::F(n - 17),
        _ => return None,
    })
}

/// `CSI code u` (fixterms / kitty): the key's Unicode code point.
fn unicode_key(code: u32) -> Option<KeyCode> {
    Some(match code {
        9 => KeyCode::Tab,
        13 => KeyCode::Enter,
        27 => KeyCode::Esc,
        127 => KeyCode::Backspace,
        c => KeyCode::Char(char::from_u32(c)?),
    })
}

fn modifiers(mask: u8) -> KeyModifiers {
    let bits = mask.saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if bits & bit != 0 {
            modifiers |= modifier;
        }
    }
    modifiers
}

/// `CSI < button ; column ; row M|m` (1-based cells; `m` is a release).
fn sgr_mouse(params: &[u8], final_byte: u8) -> Option<MouseEvent> {
    let text = std::str::from_utf8(params).ok()?;
    let numbers: Vec<u16> = text
        .split(';')
        .map(|n| n.parse::<u16>().ok())
        .collect::<Option<_>>()?;
    let [button, column, row] = numbers.as_slice() else {
        return None;
    };
    mouse(
        *button,
        column.checked_sub(1)?,
        row.checked_sub(1)?,
        final_byte == b'm',
    )
}

/// X10 mouse (`CSI M` and three bytes, each 32 more than its value).
pub fn x10_mouse(bytes: [u8; 3]) -> Option<MouseEvent> {
    let [button, column, row] = bytes.map(|b| u16::from(b.saturating_sub(32)));
    mouse(button, column.checked_sub(1)?, row.checked_sub(1)?, false)
}

fn mouse(code: u16, column: u16, row: u16, released: bool) -> Option<MouseEvent> {
    let button = match code & 0b11 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = if code & 64 != 0 {
        match code & 0b11 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if code & 32 != 0 {
        if code & 0b11 == 3 {
            MouseEventKind::Moved
        } else {
            MouseEventKind::Drag(button)
        }
    } else if released || code & 0b11 == 3 {
        MouseEventKind::Up(button)
    } else {
        MouseEventKind::Down(button)
    };
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (4, KeyModifiers::SHIFT),
        (8, KeyModifiers::ALT),
        (16, KeyModifiers::CONTROL),
    ] {
        if code & bit != 0 {
            modifiers |= modifier;
        }
    }
    Some(MouseEvent {
        kind,
        column,
        row,
        modifiers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Event> {
        Some(Event::Key(KeyEvent::new(code, modifiers)))
    }

    #[test]
    fn control_bytes_and_characters() {
        assert_eq!(
            from_char('\x07'),
            KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL)
        );
        assert_eq!(from_char('\r'), KeyCode::Enter.into());
        assert_eq!(from_char('\x7f'), KeyCode::Backspace.into());
        assert_eq!(
            from_char('Q'),
            KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT)
        );
        assert_eq!(
            with_alt(from_char('x')),
            KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)
        );
        assert_eq!(from_ss3(b'P'), Some(KeyCode::F(1).into()));
    }

    #[test]
    fn control_sequence_keys() {
        assert_eq!(from_csi(b"", b'A'), key(KeyCode::Up, KeyModifiers::NONE));
        assert_eq!(
            from_csi(b"1;5", b'C'),
            key(KeyCode::Right, KeyModifiers::CONTROL)
        );
        assert_eq!(from_csi(b"1;3", b'A'), key(KeyCode::Up, KeyModifiers::ALT));
        assert_eq!(
            from_csi(b"3", b'~'),
            key(KeyCode::Delete, KeyModifiers::NONE)
        );
        assert_eq!(
            from_csi(b"6;2", b'~'),
            key(KeyCode::PageDown, KeyModifiers::SHIFT)
        );
        assert_eq!(
            from_csi(b"15", b'~'),
            key(KeyCode::F(5), KeyModifiers::NONE)
        );
        assert_eq!(
            from_csi(b"1;2", b'R'),
            key(KeyCode::F(3), KeyModifiers::SHIFT)
        );
        assert_eq!(
            from_csi(b"", b'Z'),
            key(KeyCode::BackTab, KeyModifiers::SHIFT)
        );
        assert_eq!(
            from_csi(b"103;5", b'u'),
            key(KeyCode::Char('g'), KeyModifiers::CONTROL)
        );
        assert_eq!(from_csi(b"", b'I'), None, "focus");
        assert_eq!(from_csi(b"99", b'~'), None);
    }

    #[test]
    fn mouse_reports() {
        let Some(Event::Mouse(click)) = from_csi(b"<0;10;5", b'M') else {
            panic!()
        };
        assert_eq!(
            (click.kind, click.column, click.row),
            (MouseEventKind::Down(MouseButton::Left), 9, 4)
        );
        let Some(Event::Mouse(wheel)) = from_csi(b"<65;1;1", b'M') else {
            panic!()
        };
        assert_eq!(wheel.kind, MouseEventKind::ScrollDown);
        let Some(Event::Mouse(drag)) = from_csi(b"<34;3;3", b'M') else {
            panic!()
        };
        assert_eq!(drag.kind, MouseEventKind::Drag(MouseButton::Right));
        let Some(Event::Mouse(up)) = from_csi(b"<0;3;3", b'm') else {
            panic!()
        };
        assert_eq!(up.kind, MouseEventKind::Up(MouseButton::Left));
        assert_eq!(from_csi(b"<0;0;3", b'M'), None, "column 0 does not exist");
        let old = x10_mouse([32, 33, 34]).unwrap();
        assert_eq!((old.column, old.row), (0, 1));
    }
}
