//! Turning an HTTP error answer into an [`ApiError`].

use std::time::Duration;

use reqwest::header::HeaderMap;

use super::error::{ApiError, ServerSaid};
use super::response::ErrorBody;
use crate::util::inert::{inert, redact_keys};

const MESSAGE_MAX_CHARS: usize = 300;
const MAX_CATEGORIES: usize = 16;

/// The parts of an error answer the retry loop and the message need.
pub struct ErrorAnswer {
    pub said: ServerSaid,
    pub moderation_categories: Vec<String>,
}

/// Reads an error answer of any shape: OpenAI's JSON, other servers' JSON,
/// an HTML page from a proxy, or nothing at all.
pub fn read_error_answer(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    secret: Option<&str>,
) -> ErrorAnswer {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let detail = parsed
        .as_ref()
        .and_then(|b| b.error.clone())
        .unwrap_or_default();
    let raw_message = detail
        .message
        .clone()
        .or_else(|| parsed.as_ref().and_then(other_server_message))
        .unwrap_or_else(|| text_of_body(body, status));
    let safe = |text: &str| inert(&redact_keys(text, secret), MESSAGE_MAX_CHARS);
    let moderation = detail
        .moderation_details
        .as_ref()
        .or(parsed.as_ref().and_then(|b| b.moderation_details.as_ref()));
    ErrorAnswer {
        said: ServerSaid {
            status,
            message: safe(&raw_message),
            code: detail.code.as_deref().map(safe),
            param: detail.param.as_deref().map(safe),
            kind: detail.kind.as_deref().map(safe),
            request_id: super::untrusted::request_id(headers, secret),
        },
        moderation_categories: moderation
            .map(categories)
            .unwrap_or_default()
            .iter()
            .map(|c| safe(c))
            .collect(),
    }
}

/// Picks the error kind from the status and the error code.
pub fn classify(answer: ErrorAnswer, attempts: u32, asked_wait: Option<Duration>) -> ApiError {
    let ErrorAnswer {
        said,
        moderation_categories,
    } = answer;
    let said = Box::new(said);
    let code = said.code.as_deref().or(said.kind.as_deref()).unwrap_or("");
    let lower = said.message.to_lowercase();
    match (said.status, code) {
        (_, "insufficient_quota" | "billing_hard_limit_reached" | "billing_not_active") => {
            ApiError::Quota(said)
        }
        (_, "moderation_blocked" | "content_policy_violation") => ApiError::Moderation {
            said,
            categories: moderation_categories,
        },
        (401, _) => ApiError::InvalidKey(said),
        (403, _) if lower.contains("verif") => ApiError::OrgNotVerified(said),
        (403, _) => ApiError::PermissionDenied(said),
        (429, _) => ApiError::RateLimited { said, asked_wait },
        (400 | 404 | 409 | 413 | 415 | 422, _) => ApiError::InvalidParameter(said),
        (500.., _) => ApiError::Server { said, attempts },
        _ => ApiError::Http(said),
    }
}

/// Parameters a refusal of GIF or SVG output names when the account has
/// not been given access to the format.
const FORMAT_PARAMS: &[&str] = &[
    "output_format",
    "frame_count",
    "frame_duration_ms",
    "svg",
    "svg.model",
    "svg[model]",
];

/// A refusal of a request for GIF or SVG output that names the format's
/// parameters (or says "access") is the account's missing access to the
/// format, which the user can act on; other errors pass through.
pub fn format_access(err: ApiError, format: Option<&str>) -> ApiError {
    let Some(format @ ("gif" | "svg")) = format else {
        return err;
    };
    let said = match &err {
        ApiError::InvalidParameter(s) | ApiError::PermissionDenied(s) | ApiError::Http(s) => s,
        _ => return err,
    };
    let lower = said.message.to_lowercase();
    let named = said
        .param
        .as_deref()
        .is_some_and(|p| FORMAT_PARAMS.contains(&p));
    let access =
        lower.contains("access") || lower.contains("not enabled") || lower.contains("preview");
    if (400..500).contains(&said.status) && access && (named || lower.contains(format)) {
        let said = said.clone();
        ApiError::FormatAccess {
            format: format.to_string(),
            said,
        }
    } else {
        err
    }
}

fn other_server_message(body: &ErrorBody) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(title) = &body.title {
        parts.push(title.clone());
    }
    match &body.detail {
        Some(serde_json::Value::String(s)) => parts.push(s.clone()),
        Some(other) if !other.is_null() => parts.push(other.to_string()),
        _ => {}
    }
    let problems: Vec<String> = body
        .validation
        .iter()
        .flatten()
        .filter_map(validation_text)
        .collect();
    if !problems.is_empty() {
        parts.push(problems.join("; "));
    }
    (!parts.is_empty()).then(|| parts.join(": "))
}

fn validation_text(item: &serde_json::Value) -> Option<String> {
    let message = item.get("message").and_then(|m| m.as_str())?;
    Some(message.to_string())
}

/// Readable text from a non-JSON body: a page title or its text, never raw markup.
fn text_of_body(body: &[u8], status: u16) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return format!("empty answer (HTTP {status})");
    }
    if let Some(title) = between(trimmed, "<title>", "</title>") {
        return title.trim().to_string();
    }
    strip_tags(trimmed)
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find(open)? + open.len();
    let end = start + lower[start..].find(close)?;
    text.get(start..end)
}

fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Category names from `moderation_details`, whatever its exact shape.
fn categories(details: &serde_json::Value) -> Vec<String> {
    let list = details.get("categories").unwrap_or(details);
    match list {
        // A handful at most; a server's list of thousands is not shown whole.
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(category_name)
            .take(MAX_CATEGORIES)
            .collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(_, v)| v.as_bool() == Some(true))
            .map(|(k, _)| k.clone())
            .take(MAX_CATEGORIES)
            .collect(),
        _ => Vec::new(),
    }
}

fn category_name(item: &serde_json::Value) -> Option<String> {
    match item {
        serde_json::Value::String(s) => Some(s.clone()),
        other => ["category", "name"]
            .iter()
            .find_map(|k| other.get(k)?.as_str().map(str::to_string)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> ErrorAnswer {
        read_error_answer(
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            Some("sk-secret-key-123456"),
        )
    }

    #[test]
    fn html_and_empty_bodies_become_short_text() {
        let html = answer(
            403,
            "<html><head><title>Access denied\x1b[31m</title></head><body>x</body></html>",
        );
        assert_eq!(html.said.message, "Access denied\\u{1b}[31m");
        assert_eq!(answer(502, "").said.message, "empty answer (HTTP 502)");
        assert_eq!(
            answer(413, "<h1>Too</h1> <p>big</p>").said.message,
            "Too big"
        );
    }

    #[test]
    fn moderation_categories_in_any_shape() {
        let body = r#"{"error":{"code":"moderation_blocked","message":"blocked","moderation_details":{"stage":"input","categories":["violence",{"category":"self-harm"}]}}}"#;
        match classify(answer(400, body), 1, None) {
            ApiError::Moderation { categories, .. } => {
                assert_eq!(categories, ["violence", "self-harm"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refused_gif_or_svg_access_is_named() {
        let body = r#"{"error":{"message":"Your organization does not have access to output_format=gif for this model.","param":"output_format","code":"unsupported_value"}}"#;
        let err = format_access(classify(answer(403, body), 1, None), Some("gif"));
        assert!(matches!(err, ApiError::FormatAccess { .. }), "{err:?}");
        assert!(
            err.user_message()
                .contains("does not have access to GIF output"),
            "{}",
            err.user_message()
        );
        // The same refusal for a png request, or a plain invalid value, is left alone.
        let err = format_access(classify(answer(403, body), 1, None), Some("png"));
        assert!(matches!(err, ApiError::PermissionDenied(_)));
        let body = r#"{"error":{"message":"Invalid value: 'x'.","param":"frame_count"}}"#;
        let err = format_access(classify(answer(400, body), 1, None), Some("gif"));
        assert!(matches!(err, ApiError::InvalidParameter(_)));
    }

    #[test]
    fn echoed_keys_are_removed() {
        let body = r#"{"error":{"message":"Incorrect API key provided: sk-secr***3456. Find it.","code":"invalid_api_key"}}"#;
        let err = classify(answer(401, body), 1, None);
        assert!(matches!(err, ApiError::InvalidKey(_)));
        assert!(!format!("{err:?}").contains("secr"), "{err:?}");
    }
}
