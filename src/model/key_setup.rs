//! The API key and server panel: a masked key field, base URL,
//! organization and project, the result of the last check, and where the
//! active key comes from. The key is never kept anywhere it could be drawn
//! whole: the field masks it and the rest of the model holds its masked form.

use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyField {
    Key,
    BaseUrl,
    Organization,
    Project,
}

impl KeyField {
    pub const ALL: [KeyField; 4] = [
        KeyField::Key,
        KeyField::BaseUrl,
        KeyField::Organization,
        KeyField::Project,
    ];

    pub fn label(self) -> &'static str {
        match self {
            KeyField::Key => "API key",
            KeyField::BaseUrl => "Base URL",
            KeyField::Organization => "Organization",
            KeyField::Project => "Project",
        }
    }
}

/// The last check of a key against `GET /models`.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyCheck {
    NotChecked,
    Checking,
    Works { image_models: usize },
    Failed(String),
}

/// The key in use, as far as the UI may know it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveKey {
    /// `sk-…wxyz`.
    pub masked: String,
    /// "the OPENAI_API_KEY environment variable", a file path, "this session only".
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct KeySetup {
    fields: Vec<TextArea<'static>>,
    pub focus: usize,
    pub check: KeyCheck,
    pub active: Option<ActiveKey>,
    /// Last thing done here ("saved to …"), or a problem found at start-up.
    pub note: Option<String>,
}

fn field(value: &str, masked: bool) -> TextArea<'static> {
    let mut text = TextArea::new(vec![value.to_string()]);
    text.set_cursor_line_style(Style::default());
    if masked {
        text.set_mask_char('•');
        text.set_placeholder_text("paste a key (sk-…); it is never shown");
        text.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
    }
    text.move_cursor(ratatui_textarea::CursorMove::End);
    text
}

impl KeySetup {
    pub fn new(base_url: &str, organization: &str, project: &str) -> KeySetup {
        let mut setup = KeySetup {
            fields: vec![
                field("", true),
                field(base_url, false),
                field(organization, false),
                field(project, false),
            ],
            focus: 0,
            check: KeyCheck::NotChecked,
            active: None,
            note: None,
        };
        setup.show_cursor();
        setup
    }

    /// The key in use came from `OPENAI_API_KEY` (advice then names it).
    pub fn key_from_env(&self) -> bool {
        self.active
            .as_ref()
            .is_some_and(|a| a.source.contains("OPENAI_API_KEY"))
    }

    pub fn field(&self, which: KeyField) -> &TextArea<'static> {
        &self.fields[which as usize]
    }

    pub fn value(&self, which: KeyField) -> String {
        self.fields[which as usize]
            .lines()
            .concat()
            .trim()
            .to_string()
    }

    pub fn focused(&self) -> KeyField {
        KeyField::ALL[self.focus]
    }

    pub fn move_focus(&mut self, step: isize) {
        self.focus = (self.focus as isize + step).rem_euclid(self.fields.len() as isize) as usize;
        self.show_cursor();
    }

    fn show_cursor(&mut self) {
        for (at, text) in self.fields.iter_mut().enumerate() {
            let style = if at == self.focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            text.set_cursor_style(style);
        }
    }

    /// A key for the focused field; Enter is not text here, and lines stay single.
    pub fn input(&mut self, key: crossterm::event::KeyEvent) {
        use crossterm::event::{KeyCode, KeyModifiers};
        let newline = key.code == KeyCode::Enter
            || (key.modifiers == KeyModifiers::CONTROL
                && matches!(key.code, KeyCode::Char('m' | 'j')));
        if !newline {
            crate::model::line_edit::text_area_input(&mut self.fields[self.focus], key);
            self.edited();
        }
    }

    /// Bracketed paste into the focused field, line breaks dropped.
    pub fn paste(&mut self, text: &str) {
        let line: String = text.chars().filter(|c| !c.is_control()).collect();
        self.fields[self.focus].insert_str(line.trim());
        self.edited();
    }

    fn edited(&mut self) {
        if self.focus == KeyField::Key as usize {
            self.check = KeyCheck::NotChecked;
        }
    }

    /// Empties the key field once the key has been handed over.
    pub fn clear_key_field(&mut self) {
        self.fields[0] = field("", true);
        self.show_cursor();
    }
}
