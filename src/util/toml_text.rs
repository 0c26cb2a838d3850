//! Syntax errors in the user's TOML files (config.toml, keys.toml,
//! models.toml) as one line that says where: `line 3, column 9: invalid
//! string`. toml's own text spans several lines with a drawn caret, which
//! a status bar or a single stderr line cannot show.

/// The error as `line L, column C: message`, made inert.
pub fn error_text(text: &str, err: &toml::de::Error) -> String {
    let message = crate::util::inert::inert(err.message().trim(), 200);
    match err.span() {
        Some(span) => {
            let (line, column) = line_and_column(text, span.start);
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_line_and_column() {
        let text = "model = \"dall-e-3\"\n\ntimeout_secs = = 4\n";
        let err = toml::from_str::<toml::Table>(text).unwrap_err();
        let shown = error_text(text, &err);
        assert!(shown.starts_with("line 3, column 16: "), "{shown}");
        assert!(!shown.contains('\n'), "{shown}");
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_safe() {
        assert_eq!(line_and_column("é\nb", 1), (1, 1));
        assert_eq!(line_and_column("a\nb", 99), (2, 2));
    }
}
