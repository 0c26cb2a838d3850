//! The prompt being written: a multi-line text area with readline keys,
//! undo and redo, and a history of sent prompts that survives restarts.

use crossterm::event::KeyEvent;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// Prompts kept in the history.
pub const HISTORY_MAX: usize = 500;

#[derive(Debug, Clone)]
pub struct Prompt {
    pub text: TextArea<'static>,
    /// Sent prompts, oldest first.
    history: Vec<String>,
    /// Position in `history` while browsing it.
    browsing: Option<usize>,
    /// What was typed before browsing started, given back at the end.
    draft: String,
}

fn text_area(content: &str) -> TextArea<'static> {
    let mut text = TextArea::new(content.split('\n').map(str::to_string).collect());
    text.set_wrap_mode(WrapMode::Word);
    text.set_cursor_line_style(Style::default());
    // Dim rather than the widget's grey, so NO_COLOR gets no colour.
    text.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
    text.move_cursor(CursorMove::Bottom);
    text.move_cursor(CursorMove::End);
    text
}

impl Prompt {
    pub fn new(history: Vec<String>) -> Prompt {
        Prompt {
            text: text_area(""),
            history,
            browsing: None,
            draft: String::new(),
        }
    }

    pub fn content(&self) -> String {
        self.text.lines().join("\n")
    }

    pub fn char_count(&self) -> usize {
        let lines = self.text.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    pub fn is_blank(&self) -> bool {
        self.text.lines().iter().all(|l| l.trim().is_empty())
    }

    /// Replaces the text, keeping the editing state (cursor shown or not).
    pub fn set_content(&mut self, content: &str) {
        let cursor = self.text.cursor_style();
        let placeholder = self.text.placeholder_text().to_string();
        self.text = text_area(content);
        self.text.set_placeholder_text(placeholder);
        self.text.set_cursor_style(cursor);
    }

    /// What the empty prompt says (it names the key that sends).
    pub fn set_placeholder(&mut self, text: String) {
        self.text.set_placeholder_text(text);
    }

    /// The cursor is drawn only while the prompt has the keys.
    pub fn set_editing(&mut self, editing: bool) {
        let style = if editing {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        self.text.set_cursor_style(style);
    }

    /// A key for the text area, with readline's keys (see `line_edit`).
    pub fn input(&mut self, key: KeyEvent) {
        self.browsing = None;
        crate::model::line_edit::text_area_input(&mut self.text, key);
    }

    /// Bracketed paste: inserted with its line breaks; other control
    /// characters (escape sequences among them) are dropped.
    pub fn paste(&mut self, pasted: &str) {
        self.browsing = None;
        let text: String = pasted
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        self.text.insert_str(text);
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    pub fn history_prev(&mut self) {
        let at = match self.browsing {
            None if self.history.is_empty() => return,
            None => {
                self.draft = self.content();
                self.history.len() - 1
            }
            Some(0) => return,
            Some(at) => at - 1,
        };
        self.show_history(at);
    }

    pub fn history_next(&mut self) {
        let Some(at) = self.browsing else { return };
        if at + 1 < self.history.len() {
            self.show_history(at + 1);
        } else {
            self.browsing = None;
            let draft = std::mem::take(&mut self.draft);
            self.set_content(&draft);
        }
    }

    fn show_history(&mut self, at: usize) {
        let entry = self.history[at].clone();
        self.set_content(&entry);
        self.browsing = Some(at);
    }

    /// Adds a sent prompt to the history (moving a repeat to the end).
    pub fn remember(&mut self, prompt: &str) {
        self.history.retain(|p| p != prompt);
        self.history.push(prompt.to_string());
        let excess = self.history.len().saturating_sub(HISTORY_MAX);
        self.history.drain(..excess);
        self.browsing = None;
    }
}
