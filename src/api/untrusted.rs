//! The one place a successful answer's text enters artty. Whatever the
//! server says is kept only after it has been made safe here: the key it
//! may echo is redacted, characters that could act on a terminal are made
//! visible, lengths are cut, and no more images are taken than were asked
//! for. Everything past this boundary (sidecars, PNG chunks, the gallery
//! index, `--json` output, the screen) can then store and show it as it is.

use reqwest::header::HeaderMap;

use super::response::ResponseMeta;
use crate::util::inert::{escape_controls, inert, redact_keys};

/// A revised prompt is the model's rewording of a prompt the API caps at
/// 32,000 characters; anything longer is not a prompt.
pub const REVISED_PROMPT_MAX_CHARS: usize = 32_000;
/// `size`, `quality` and the like are short words.
const WORD_MAX_CHARS: usize = 64;
/// Usage objects are a handful of counters.
const USAGE_MAX_BYTES: usize = 8 * 1024;
const ID_MAX_CHARS: usize = 80;

/// What the answer is held against: the key it must not echo and the number
/// of images the request asked for.
#[derive(Debug, Clone, Copy)]
pub struct Boundary<'a> {
    pub secret: Option<&'a str>,
    /// Images asked for (`n`, 1 when not sent). More are never taken.
    pub expected: usize,
}

impl<'a> Boundary<'a> {
    pub fn new(secret: Option<&'a str>, asked_n: Option<u8>) -> Boundary<'a> {
        Boundary {
            secret,
            expected: usize::from(asked_n.unwrap_or(1).max(1)),
        }
    }

    /// Text kept with its line breaks (a revised prompt): redacted, every
    /// other control or bidi character made visible, cut to `max_chars`.
    pub fn text(&self, raw: &str, max_chars: usize) -> String {
        let redacted = redact_keys(raw, self.secret);
        let mut cut: String = redacted.chars().take(max_chars).collect();
        if cut.len() < redacted.len() {
            cut.push('…');
        }
        escape_controls(&cut)
    }

    /// A short one-line value (a size, an id): redacted and made inert.
    pub fn word(&self, raw: &str, max_chars: usize) -> String {
        inert(&redact_keys(raw, self.secret), max_chars)
    }

    pub fn revised_prompt(&self, raw: Option<String>) -> Option<String> {
        raw.map(|text| self.text(&text, REVISED_PROMPT_MAX_CHARS))
    }

    /// The server's words about the result, each made safe; a usage object
    /// too large to be counters is dropped.
    pub fn meta(&self, meta: ResponseMeta) -> ResponseMeta {
        let word = |v: Option<String>| v.map(|v| self.word(&v, WORD_MAX_CHARS));
        ResponseMeta {
            size: word(meta.size),
            quality: word(meta.quality),
            background: word(meta.background),
            output_format: word(meta.output_format),
            usage: meta.usage.and_then(|v| self.value(v)),
            svg_usage: meta.svg_usage.and_then(|v| self.value(v)),
            safety_identifier: meta
                .safety_identifier
                .map(|v| self.word(&v, ID_MAX_CHARS * 2)),
        }
    }

    /// A JSON value with every string made safe; `None` when it is larger
    /// than any usage object.
    pub fn value(&self, value: serde_json::Value) -> Option<serde_json::Value> {
        let cleaned = self.clean_value(value);
        (cleaned.to_string().len() <= USAGE_MAX_BYTES).then_some(cleaned)
    }

    fn clean_value(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.word(&s, 200)),
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .take(64)
                    .map(|v| self.clean_value(v))
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .take(64)
                    .map(|(k, v)| (self.word(&k, WORD_MAX_CHARS), self.clean_value(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// The request id the API puts on every answer, made safe.
    pub fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        request_id(headers, self.secret)
    }
}

/// The `x-request-id` header, redacted and inert; `None` when absent.
pub fn request_id(headers: &HeaderMap, secret: Option<&str>) -> Option<String> {
    let id = headers.get("x-request-id")?.to_str().ok()?;
    let safe = inert(&redact_keys(id, secret), ID_MAX_CHARS);
    (!safe.is_empty()).then_some(safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "azure0123456789abcdef";

    #[test]
    fn text_is_redacted_escaped_and_cut_but_keeps_its_lines() {
        let b = Boundary::new(Some(SECRET), None);
        let raw = format!("line one\nkey {SECRET} and sk-proj-abc123\u{9b}31m\u{202e}x");
        let shown = b.text(&raw, 1000);
        assert!(
            !shown.contains(SECRET) && !shown.contains("sk-proj"),
            "{shown}"
        );
        assert!(shown.contains("line one\nkey [redacted key]"), "{shown}");
        assert!(shown.contains("\\u{9b}31m\\u{202e}x"), "{shown}");
        assert_eq!(b.text(&"x".repeat(50), 10), format!("{}…", "x".repeat(10)));
    }

    #[test]
    fn meta_words_and_usage_are_made_safe_and_bounded() {
        let b = Boundary::new(Some(SECRET), Some(2));
        assert_eq!(b.expected, 2);
        let meta = ResponseMeta {
            size: Some(format!("1024x1024 {SECRET}\u{1b}[2J")),
            usage: Some(serde_json::json!({"total_tokens": 5, "note": "sk-live-zzz"})),
            svg_usage: Some(serde_json::json!({"pad": vec!["y".repeat(190); 60]})),
            ..ResponseMeta::default()
        };
        let safe = b.meta(meta);
        let size = safe.size.unwrap();
        assert!(!size.contains(SECRET) && !size.contains('\u{1b}'), "{size}");
        assert_eq!(safe.usage.unwrap()["note"], "[redacted key]");
        assert_eq!(
            safe.svg_usage, None,
            "an 11 KB usage object is not counters"
        );
    }

    #[test]
    fn request_ids_never_carry_the_key() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", format!("req_{SECRET}").parse().unwrap());
        assert_eq!(
            request_id(&headers, Some(SECRET)).as_deref(),
            Some("req_[redacted key]")
        );
        assert_eq!(Boundary::new(None, Some(0)).expected, 1);
    }
}
