//! One-line text fields (the gallery search, typed paths): the keys they
//! share, and Tab completion for paths.

use crossterm::event::KeyEvent;

use crate::model::line_edit::{LineEdit, any_char};

/// Applies a key to a path or search field: readline's keys (see
/// `LineEdit`), words ending at `separator`. False when the key is not one
/// of them.
pub fn edit(text: &mut LineEdit, key: KeyEvent, separator: char) -> bool {
    text.input(key, separator, any_char)
}

/// Pasted text without its control characters (a path has none).
pub fn paste(text: &mut LineEdit, pasted: &str) {
    text.insert(pasted);
}

/// Completions of `asked` arrived: the common prefix is filled in and the
/// choices kept (none when there is one). Stale answers are dropped.
/// False when nothing matched.
pub fn complete(
    text: &mut LineEdit,
    completions: &mut Vec<String>,
    asked: &str,
    found: Vec<String>,
) -> bool {
    if text.as_str() != asked {
        return true; // Typed on since.
    }
    if let Some(common) =
        crate::util::paths::common_prefix(&found).filter(|c| c.len() > asked.len())
    {
        text.set(&common);
    }
    *completions = if found.len() == 1 { Vec::new() } else { found };
    !(completions.is_empty() && text.as_str() == asked)
}
