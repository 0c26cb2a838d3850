//! Making untrusted text safe to show: anything a server, a file name or a
//! config file says may carry escape sequences that would take over the
//! terminal, so control characters are shown as visible escapes instead.

/// Returns `text` with every control character, C1 control and bidirectional
/// override replaced by a visible `\u{..}` form (tab and newline become a
/// space), cut to at most `max_chars` characters with an ellipsis.
pub fn inert(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    for (count, ch) in text.chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            break;
        }
        match ch {
            '\n' | '\t' | '\r' => out.push(' '),
            c => push_shown(&mut out, c),
        }
    }
    out
}

/// Pushes `c`, or its visible `\u{..}` form when it could act on a terminal.
fn push_shown(out: &mut String, c: char) {
    if is_dangerous(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// Like [`inert`] for text that keeps its line breaks (a log file): every
/// control character but `\n` made visible, nothing cut.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' => out.push('\n'),
            c => push_shown(&mut out, c),
        }
    }
    out
}

fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A JSON value as one line a terminal shows inert. serde escapes only C0
/// controls; C1 controls (U+009B is an 8-bit CSI) and bidirectional
/// overrides would reach the terminal raw, so they are written as `\uXXXX`
/// too, which every JSON reader reads back as the same text.
pub fn json_line(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if is_dangerous(ch) {
            out.push_str(&format!("\\u{:04x}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// Removes anything that looks like an API key (`sk-…`) and the given secret
/// itself from `text`.
pub fn redact_keys(text: &str, secret: Option<&str>) -> String {
    const REDACTED: &str = "[redacted key]";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("sk-") {
        out.push_str(&rest[..pos]);
        out.push_str(REDACTED);
        // Key characters, plus the `*` OpenAI uses when it echoes a key half-masked.
        let tail = &rest[pos + 3..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*')))
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    match secret {
        Some(key) if key.len() >= 8 => out.replace(key, REDACTED),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_made_visible() {
        let hostile = "ok\x1b[2J\x1b]52;c;AAAA\x07\u{9b}31m\u{202e}evil\x00";
        let shown = inert(hostile, 200);
        assert!(!shown.chars().any(is_dangerous), "{shown}");
        assert!(shown.contains("\\u{1b}[2J"));
        assert!(shown.contains("\\u{202e}evil"));
    }

    #[test]
    fn log_text_keeps_its_lines_and_nothing_else() {
        let shown = escape_controls("a\x1b[31mb\nc\u{85}\t\u{2067}d\n");
        assert_eq!(shown, "a\\u{1b}[31mb\nc\\u{85}\\u{9}\\u{2067}d\n");
    }

    #[test]
    fn json_lines_escape_c1_and_bidi_and_read_back_the_same() {
        let value = serde_json::json!({ "p": "a\u{9b}31m\u{202e}b\u{1b}c" });
        let line = json_line(&value);
        assert!(!line.chars().any(is_dangerous), "{line}");
        assert!(line.contains("\\u009b31m\\u202eb\\u001bc"), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn long_text_is_cut() {
        assert_eq!(inert("abcdef", 3), "abc…");
        assert_eq!(inert("a\nb", 10), "a b");
    }

    #[test]
    fn keys_are_redacted() {
        let text = "Incorrect API key provided: sk-proj-abc***wxyz. You can find your key";
        let out = redact_keys(text, None);
        assert_eq!(
            out,
            "Incorrect API key provided: [redacted key]. You can find your key"
        );
        assert_eq!(
            redact_keys("bad key mysecretvalue", Some("mysecretvalue")),
            "bad key [redacted key]"
        );
    }
}
