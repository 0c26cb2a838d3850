//! The API's answers, read leniently: unknown fields are ignored and every
//! enum-like value is kept as text, so `size: "1536x864"` or
//! `quality: "xhigh"` from a newer model never fails a request.

use serde::{Deserialize, Deserializer, Serialize};

/// Any JSON value as text: strings as they are, other values as JSON.
fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// The body of a successful `/images/*` answer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImagesResponse {
    #[serde(default)]
    pub created: Option<serde_json::Value>,
    #[serde(default)]
    pub data: Option<Vec<ImageDatum>>,
    #[serde(flatten)]
    pub meta: ResponseMeta,
}

/// One returned image: inline base64, or a URL that expires after an hour.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageDatum {
    #[serde(default, deserialize_with = "lenient_text")]
    pub b64_json: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub revised_prompt: Option<String>,
}

/// What the server says about the images it made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseMeta {
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub size: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub quality: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub background: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<serde_json::Value>,
    /// Tokens the text model that wrote an SVG used, billed at its rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub svg_usage: Option<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub safety_identifier: Option<String>,
}

/// The error body: `{"error": {"message", "type", "param", "code"}}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error: Option<ErrorDetail>,
    /// Other servers' shapes (FastAPI, Prism): `detail`/`title` and a `validation` list.
    #[serde(default)]
    pub detail: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub title: Option<String>,
    #[serde(default)]
    pub validation: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub moderation_details: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorDetail {
    #[serde(default, deserialize_with = "lenient_text")]
    pub message: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient_text")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub param: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub code: Option<String>,
    #[serde(default)]
    pub moderation_details: Option<serde_json::Value>,
}

/// One model from `GET /models`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct RemoteModel {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub shutdown_date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelList {
    #[serde(default)]
    pub data: Vec<RemoteModel>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_values_parse() {
        let body = r#"{"created":1,"size":"1536x864","quality":"xhigh","output_format":"avif","novel":{"x":1},
            "data":[{"b64_json":"AA==","revised_prompt":"r","extra":true}],"usage":{"total_tokens":5},
            "svg_usage":{"model":"gpt-5","input_tokens":1,"output_tokens":2,"reasoning_tokens":0,"total_tokens":3},
            "safety_identifier":7}"#;
        let parsed: ImagesResponse = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.meta.svg_usage.as_ref().unwrap()["model"], "gpt-5");
        assert_eq!(parsed.meta.safety_identifier.as_deref(), Some("7"));
        assert_eq!(parsed.meta.size.as_deref(), Some("1536x864"));
        assert_eq!(parsed.meta.quality.as_deref(), Some("xhigh"));
        assert_eq!(parsed.meta.output_format.as_deref(), Some("avif"));
        assert_eq!(parsed.data.unwrap()[0].revised_prompt.as_deref(), Some("r"));
    }

    #[test]
    fn null_and_odd_types_are_tolerated() {
        let parsed: ImagesResponse =
            serde_json::from_str(r#"{"created":"x","data":null,"size":1024}"#).unwrap();
        assert!(parsed.data.is_none());
        assert_eq!(parsed.meta.size.as_deref(), Some("1024"));
    }
}
