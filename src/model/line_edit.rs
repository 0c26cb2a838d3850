//! A one-line text field with a cursor and readline's keys, for every
//! single-line field (typed paths, the custom size, the model filter), so
//! each takes the keys a shell user's fingers already know:
//!
//! - `Ctrl+A`/`Home`, `Ctrl+E`/`End`: start, end; `Ctrl+B`/`Ctrl+F`,
//!   `Alt+B`/`Alt+F`: a character, a word back or on;
//! - `Ctrl+H`/`Backspace`, `Ctrl+D`/`Delete`, `Ctrl+W`/`Alt+Backspace`,
//!   `Alt+D`, `Ctrl+K`, `Ctrl+U`: delete a character, a word, to the end,
//!   to the start; `Ctrl+Y` puts back what was deleted last;
//! - `Ctrl+_` (also sent for `Ctrl+/` and `Ctrl+7`) undoes, as in readline
//!   and Emacs; `Ctrl+Alt+_` redoes, as Emacs' `undo-redo`. Neither takes
//!   a key readline or the shell gives another meaning (`Ctrl+U` is
//!   line-discard, `Ctrl+R` history search, `Ctrl+Z` suspend).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Undo steps kept per field.
const UNDO_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineEdit {
    text: String,
    /// In characters from the start.
    cursor: usize,
    killed: String,
    undo: Vec<(String, usize)>,
    redo: Vec<(String, usize)>,
}

impl LineEdit {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: &str) -> LineEdit {
        LineEdit {
            text: text.to_string(),
            cursor: text.chars().count(),
            ..LineEdit::default()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text before and after the cursor, for drawing it.
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.byte(self.cursor))
    }

    /// Replaces the text (a completion, a prefill), the cursor at its end;
    /// undo gives the old text back.
    pub fn set(&mut self, text: &str) {
        if text != self.text {
            self.remember();
            self.text = text.to_string();
            self.cursor = text.chars().count();
        }
    }

    /// Inserts text at the cursor (a paste), without control characters.
    pub fn insert(&mut self, text: &str) {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        if clean.is_empty() {
            return;
        }
        self.remember();
        let at = self.byte(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Applies a key; false when it is none of the field's keys. Typed
    /// characters go through `accept`, which may change or refuse them;
    /// words end at whitespace or `separator`.
    pub fn input(
        &mut self,
        key: KeyEvent,
        separator: char,
        accept: impl Fn(char) -> Option<char>,
    ) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let end = self.len();
        let is_sep = |c: char| c.is_whitespace() || c == separator;
        match key.code {
            KeyCode::Char(c) if ctrl => match (crate::keymap::control_char(c), alt) {
                ('_', false) => self.undo(),
                ('_', true) => self.redo(),
                ('a', false) => self.cursor = 0,
                ('e', false) => self.cursor = end,
                ('b', false) => self.cursor = self.cursor.saturating_sub(1),
                ('f', false) => self.cursor = (self.cursor + 1).min(end),
                ('h', false) => self.delete(self.cursor.saturating_sub(1), self.cursor),
                ('d', false) => self.delete(self.cursor, (self.cursor + 1).min(end)),
                ('k', false) => self.kill(self.cursor, end),
                ('u', false) => self.kill(0, self.cursor),
                ('w', false) => self.kill(self.word_back(is_sep), self.cursor),
                ('y', false) => {
                    let killed = self.killed.clone();
                    self.insert(&killed);
                }
                _ => return false,
            },
            KeyCode::Char('b') if alt => self.cursor = self.word_back(is_sep),
            KeyCode::Char('f') if alt => self.cursor = self.word_on(is_sep),
            KeyCode::Char('d') if alt => self.kill(self.cursor, self.word_on(is_sep)),
            KeyCode::Backspace if alt => self.kill(self.word_back(is_sep), self.cursor),
            KeyCode::Char(c) if !alt => match accept(c) {
                Some(c) => self.insert(c.encode_utf8(&mut [0; 4])),
                None => return false,
            },
            KeyCode::Backspace => self.delete(self.cursor.saturating_sub(1), self.cursor),
            KeyCode::Delete => self.delete(self.cursor, (self.cursor + 1).min(end)),
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(end),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = end,
            _ => return false,
        }
        true
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    fn byte(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(at, _)| at)
    }

    fn chars(&self) -> Vec<char> {
        self.text.chars().collect()
    }

    /// Where the word before the cursor starts.
    fn word_back(&self, is_sep: impl Fn(char) -> bool) -> usize {
        let chars = self.chars();
        let mut at = self.cursor;
        while at > 0 && is_sep(chars[at - 1]) {
            at -= 1;
        }
        while at > 0 && !is_sep(chars[at - 1]) {
            at -= 1;
        }
        at
    }

    /// Where the word after the cursor ends.
    fn word_on(&self, is_sep: impl Fn(char) -> bool) -> usize {
        let chars = self.chars();
        let mut at = self.cursor;
        while at < chars.len() && is_sep(chars[at]) {
            at += 1;
        }
        while at < chars.len() && !is_sep(chars[at]) {
            at += 1;
        }
        at
    }

    fn delete(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        self.remember();
        let (a, b) = (self.byte(from), self.byte(to));
        self.text.replace_range(a..b, "");
        self.cursor = from;
    }

    fn kill(&mut self, from: usize, to: usize) {
        if from < to {
            self.killed = self.text[self.byte(from)..self.byte(to)].to_string();
            self.delete(from, to);
        }
    }

    fn remember(&mut self) {
        self.undo.push((self.text.clone(), self.cursor));
        let excess = self.undo.len().saturating_sub(UNDO_MAX);
        self.undo.drain(..excess);
        self.redo.clear();
    }

    fn undo(&mut self) {
        if let Some((text, cursor)) = self.undo.pop() {
            let now = (std::mem::replace(&mut self.text, text), self.cursor);
            self.redo.push(now);
            self.cursor = cursor;
        }
    }

    fn redo(&mut self) {
        if let Some((text, cursor)) = self.redo.pop() {
            let now = (std::mem::replace(&mut self.text, text), self.cursor);
            self.undo.push(now);
            self.cursor = cursor;
        }
    }
}

/// A key for a multi-line field (the prompt, the key setup fields) with
/// the same keys as [`LineEdit`]: the text area's own keys are readline's
/// except `Ctrl+U` (its undo, readline's line-discard) and `Ctrl+R` (its
/// redo, readline's history search), which are taken here first.
pub fn text_area_input(text: &mut ratatui_textarea::TextArea<'static>, key: KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if ctrl => match (crate::keymap::control_char(c), alt) {
            ('_', false) => {
                text.undo();
            }
            ('_', true) => {
                text.redo();
            }
            ('u', false) => {
                text.delete_line_by_head();
            }
            ('r' | 'z', _) => {}
            _ => {
                text.input(key);
            }
        },
        _ => {
            text.input(key);
        }
    }
}

/// Read as the text it holds (`trim`, comparisons, `&field` as `&str`).
impl std::ops::Deref for LineEdit {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for LineEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Any character that is not a control character.
pub fn any_char(c: char) -> Option<char> {
    (!c.is_control()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn ctrl(c: char) -> KeyEvent {
        key(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn alt(c: char) -> KeyEvent {
        key(KeyCode::Char(c), KeyModifiers::ALT)
    }

    fn typed(field: &mut LineEdit, text: &str) {
        for c in text.chars() {
            assert!(field.input(key(KeyCode::Char(c), KeyModifiers::NONE), '/', any_char));
        }
    }

    #[test]
    fn readline_moves_and_deletes() {
        let mut field = LineEdit::new("~/pictures/cat.png");
        field.input(ctrl('a'), '/', any_char);
        typed(&mut field, "x");
        assert_eq!(field.split(), ("x", "~/pictures/cat.png"));
        field.input(ctrl('k'), '/', any_char);
        assert_eq!(field.as_str(), "x");
        field.input(ctrl('y'), '/', any_char);
        assert_eq!(field.as_str(), "x~/pictures/cat.png", "Ctrl+Y puts it back");
        field.input(ctrl('w'), '/', any_char);
        assert_eq!(field.as_str(), "x~/pictures/", "Ctrl+W stops at a slash");
        field.input(alt('b'), '/', any_char);
        field.input(ctrl('u'), '/', any_char);
        assert_eq!(
            field.split(),
            ("", "pictures/"),
            "Ctrl+U deletes to the start"
        );
        field.input(ctrl('e'), '/', any_char);
        field.input(alt('b'), '/', any_char);
        field.input(alt('d'), '/', any_char);
        assert_eq!(field.as_str(), "/");
    }

    #[test]
    fn undo_and_redo_take_no_readline_key() {
        let mut field = LineEdit::new("1024x");
        typed(&mut field, "768");
        // Ctrl+_ arrives as Ctrl+7 from most terminals.
        field.input(ctrl('7'), '/', any_char);
        assert_eq!(field.as_str(), "1024x76");
        field.input(ctrl('_'), '/', any_char);
        field.input(
            key(
                KeyCode::Char('_'),
                KeyModifiers::CONTROL | KeyModifiers::ALT,
            ),
            '/',
            any_char,
        );
        assert_eq!(field.as_str(), "1024x76", "redo");
        assert!(!field.input(ctrl('r'), '/', any_char), "Ctrl+R is not redo");
        assert!(!field.input(ctrl('z'), '/', any_char), "Ctrl+Z is not undo");
    }

    #[test]
    fn typed_characters_can_be_refused_or_changed() {
        let mut field = LineEdit::new("");
        let size = |c: char| c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase());
        assert!(field.input(key(KeyCode::Char('X'), KeyModifiers::SHIFT), '/', size));
        assert!(!field.input(key(KeyCode::Char('!'), KeyModifiers::NONE), '/', size));
        assert_eq!(field.as_str(), "x");
        field.insert("a\u{1b}[31mb");
        assert_eq!(
            field.as_str(),
            "xa[31mb",
            "a paste loses its control characters"
        );
    }
}
