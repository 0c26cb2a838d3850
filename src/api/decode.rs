//! Turning returned data into checked image bytes.

use base64::Engine;
use bytes::Bytes;

use super::error::ApiError;
use super::response::{ImagesResponse, ResponseMeta};
use super::result::GeneratedImage;
use super::untrusted::Boundary;
use crate::images::probe::ImageInfo;
use crate::images::verify::verify;

/// One image of a JSON answer: decoded already, or still to be downloaded.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered {
    Inline(GeneratedImage),
    Link {
        url: String,
        revised_prompt: Option<String>,
    },
    /// This image and those after it could not be taken; the ones before
    /// it are kept (see [`super::result::Generation::kept_after`]).
    Broken(ApiError),
}

/// Reads a JSON answer and decodes its inline images. Each base64 string is
/// dropped as soon as it is decoded, so peak memory stays near one copy.
/// No more images are taken than were asked for, and the server's text
/// passes the boundary before it is kept. A bad image after good ones ends
/// the list with [`Answered::Broken`]; a bad first image is the error.
pub fn read_answer(
    body: &[u8],
    request_id: Option<&str>,
    boundary: Boundary<'_>,
) -> Result<(Vec<Answered>, ResponseMeta), ApiError> {
    let parsed: ImagesResponse = parse_json(body).map_err(|e| ApiError::Protocol {
        detail: format!("the answer was not valid JSON ({})", json_error_text(&e)),
        request_id: request_id.map(str::to_string),
    })?;
    let mut data = parsed.data.unwrap_or_default();
    if data.is_empty() {
        return Err(ApiError::NoImage {
            request_id: request_id.map(str::to_string),
        });
    }
    if data.len() > boundary.expected {
        tracing::warn!(
            "the server sent {} images for {} asked for: the rest are not taken",
            data.len(),
            boundary.expected
        );
        data.truncate(boundary.expected);
    }
    let mut answer = Vec::with_capacity(data.len());
    for datum in data {
        let revised_prompt = boundary.revised_prompt(datum.revised_prompt);
        answer.push(match (datum.b64_json, datum.url) {
            (Some(b64), _) => match decode_b64_image(&b64, request_id) {
                Ok((bytes, info)) => Answered::Inline(GeneratedImage {
                    bytes,
                    info,
                    revised_prompt,
                }),
                Err(err) if answer.is_empty() => return Err(err),
                Err(err) => {
                    answer.push(Answered::Broken(err));
                    break;
                }
            },
            (None, Some(url)) => Answered::Link {
                url,
                revised_prompt,
            },
            (None, None) => {
                return Err(ApiError::NoImage {
                    request_id: request_id.map(str::to_string),
                });
            }
        });
    }
    Ok((answer, boundary.meta(parsed.meta)))
}

/// Parses an answer the way the official SDKs do: a UTF-8 byte order mark
/// is skipped and a repeated key keeps its last value (a derived struct
/// would refuse both, failing an answer already paid for).
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let value: serde_json::Value = serde_json::from_slice(body)?;
    serde_json::from_value(value)
}

/// A JSON parse error as shown to the user. serde quotes the offending
/// input, which is the server's text: it may hold escape sequences, or a
/// key the server echoed.
pub fn json_error_text(err: &serde_json::Error) -> String {
    crate::util::inert::inert(
        &crate::util::inert::redact_keys(&err.to_string(), None),
        300,
    )
}

/// Decodes `b64_json` and checks that the bytes are a whole image.
pub fn decode_b64_image(
    b64: &str,
    request_id: Option<&str>,
) -> Result<(Bytes, ImageInfo), ApiError> {
    let bad = |detail: String| ApiError::BadImage {
        detail,
        request_id: request_id.map(str::to_string),
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| bad(format!("invalid base64 ({e})")))?;
    let info = verify(&bytes).map_err(|e| bad(e.to_string()))?;
    Ok((Bytes::from(bytes), info))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `response_json` and `sse_stream` fuzz targets: serde's
    /// message quoted the input, escapes and echoed key included.
    #[test]
    fn a_json_error_quoting_the_answer_is_made_inert_and_keyless() {
        let body = br#"{"data": "\u001b]52;c;QUFB\u0007 sk-proj-echoed0123456789"}"#;
        let err = read_answer(body, None, Boundary::new(None, None))
            .unwrap_err()
            .to_string();
        assert!(!err.chars().any(char::is_control), "{err:?}");
        assert!(!err.contains("sk-proj-echoed"), "{err:?}");
        assert!(err.contains("not valid JSON"), "{err:?}");
    }

    #[test]
    fn rejects_bad_base64_and_non_images() {
        assert!(matches!(
            decode_b64_image("!!!not base64", None),
            Err(ApiError::BadImage { .. })
        ));
        let text = base64::engine::general_purpose::STANDARD.encode("just some text");
        let err = decode_b64_image(&text, Some("req_1")).unwrap_err();
        assert_eq!(err.request_id(), Some("req_1"));
    }
}
