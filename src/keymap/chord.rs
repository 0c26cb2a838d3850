//! A key as written in keys.toml and in the help (`ctrl-g`, `alt-up`, `?`),
//! and how a terminal key event matches it.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// Modifiers that take part in matching. Shift is folded into the
/// character itself (`G`, `?`), since terminals differ in reporting it.
fn significant(code: KeyCode, mods: KeyModifiers) -> KeyModifiers {
    let mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    match code {
        KeyCode::Char(_) | KeyCode::BackTab => mods - KeyModifiers::SHIFT,
        _ => mods,
    }
}

/// Ctrl+letter arrives lower-case on most terminals, upper-case on some;
/// Ctrl+_ (readline's undo) is one byte, 0x1F, which terminals also send
/// for Ctrl+/ and Ctrl+7 and crossterm reads as Ctrl+7.
pub fn control_char(c: char) -> char {
    match c {
        '7' | '/' => '_',
        c => c.to_ascii_lowercase(),
    }
}

impl KeyChord {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> KeyChord {
        KeyChord { code, mods }
    }

    pub fn matches(&self, key: &KeyEvent) -> bool {
        let code = match key.code {
            // Ctrl+letter arrives lower-case on most terminals, upper-case on some.
            KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(control_char(c))
            }
            code => code,
        };
        code == self.code && significant(code, key.modifiers) == significant(self.code, self.mods)
    }

    /// Parses `ctrl-g`, `alt-up`, `shift-tab`, `f5`, `enter`, `?`, `G`.
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        let text = text.trim();
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break;
            }
            mods |= flag;
            rest = &rest[len..];
        }
        let code = parse_code(rest).ok_or_else(|| format!("unknown key {text:?}"))?;
        let code = match (code, mods.contains(KeyModifiers::SHIFT)) {
            (KeyCode::Tab, true) => KeyCode::BackTab,
            (KeyCode::Char(c), _) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            (code, _) => code,
        };
        Ok(KeyChord { code, mods })
    }
}

fn parse_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // A control character is no key name (Esc, Tab, Enter have theirs),
        // and would be printed raw in the help and `artty keys`.
        return (!c.is_control()).then_some(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=24).contains(&n).then_some(KeyCode::F(n));
    }
    Some(match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        _ => return None,
    })
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl+")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt+")?;
        }
        // Shift is part of a character's own name (`G`) and of Shift+Tab.
        if self.mods.contains(KeyModifiers::SHIFT)
            && !matches!(self.code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            f.write_str("Shift+")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::BackTab => f.write_str("Shift+Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_control_characters_are_refused() {
        assert_eq!(KeyChord::parse("ctrl-G").unwrap().to_string(), "Ctrl+G");
        assert_eq!(KeyChord::parse("?").unwrap().to_string(), "?");
        // Found by reading the terminal_reply fuzz target: a raw ESC was a
        // key, printed raw by `artty keys`.
        assert!(KeyChord::parse("\u{1b}").is_err());
        assert!(KeyChord::parse("alt-\u{7}").is_err());
    }
}
