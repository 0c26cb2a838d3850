//! One-line text fields (the gallery search, typed paths): the keys they
//! share, and Tab completion for paths.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies a key to `text`: characters, Backspace, Ctrl+U (clear) and
/// Ctrl+W (back to the previous `separator`). False when the key is not
/// one of these.
pub fn edit(text: &mut String, key: KeyEvent, separator: char) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => {
            let trimmed = text.trim_end_matches(separator);
            let cut = trimmed.rfind(separator).map_or(0, |at| at + 1);
            text.truncate(cut);
        }
        KeyCode::Char(c) if !ctrl => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => return false,
    }
    true
}

/// Pasted text without its control characters (a path has none).
pub fn paste(text: &mut String, pasted: &str) {
    text.extend(pasted.chars().filter(|c| !c.is_control()));
}

/// Completions of `asked` arrived: the common prefix is filled in and the
/// choices kept (none when there is one). Stale answers are dropped.
/// False when nothing matched.
pub fn complete(
    text: &mut String,
    completions: &mut Vec<String>,
    asked: &str,
    found: Vec<String>,
) -> bool {
    if text != asked {
        return true; // Typed on since.
    }
    if let Some(common) =
        crate::util::paths::common_prefix(&found).filter(|c| c.len() > asked.len())
    {
        *text = common;
    }
    *completions = if found.len() == 1 { Vec::new() } else { found };
    !(completions.is_empty() && text == asked)
}
