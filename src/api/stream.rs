//! Reading a streamed answer (`stream: true`): partial images as they come,
//! then one `completed` event per image, or an error event.
//!
//! Events are read as loosely as the official SDKs read them: data that is
//! not a JSON object (a `ping`), event types artty does not know,
//! fields of an unexpected type and previews that do not decode are
//! skipped, never fatal. An image that has
//! fully arrived is never thrown away: whatever breaks after it (an error
//! event, bad JSON, a dropped connection) is reported beside it.

use serde_json::Value;

use super::body::{Cap, next_chunk};
use super::classify::{classify, read_error_answer};
use super::decode::decode_b64_image;
use super::error::ApiError;
use super::response::ResponseMeta;
use super::result::{GeneratedImage, Generation, Progress};
use super::sse::{SseEvent, SseParser};
use super::untrusted::Boundary;

/// The API sends at most 3 partial images per image.
const MAX_PARTIALS: usize = 8;

/// Everything the stream reader needs besides the response.
pub struct StreamContext<'a> {
    pub cap: Cap,
    pub request_id: Option<String>,
    pub boundary: Boundary<'a>,
}

/// Reads events until the server closes the stream, or until every image
/// asked for has arrived.
pub async fn read_stream(
    response: &mut reqwest::Response,
    ctx: StreamContext<'_>,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Generation, ApiError> {
    let mut reader = StreamReader::new(ctx);
    let mut received: u64 = 0;
    loop {
        let chunk = match next_chunk(response, reader.ctx.cap).await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(err) => return reader.fail(err),
        };
        received += chunk.len() as u64;
        if received > reader.ctx.cap.bytes {
            let err = ApiError::TooLarge {
                what: reader.ctx.cap.what,
                limit: reader.ctx.cap.bytes,
            };
            return reader.fail(err);
        }
        if let Err(err) = reader.push(&chunk, progress) {
            return reader.fail(err);
        }
        if reader.has_all() {
            break;
        }
    }
    reader.finish()
}

/// The stream's bytes to a generation, with no I/O: what `read_stream`
/// does with each chunk, and what the fuzz target feeds.
pub struct StreamReader<'a> {
    ctx: StreamContext<'a>,
    parser: SseParser,
    generation: Generation,
    partials: usize,
}

impl<'a> StreamReader<'a> {
    pub fn new(ctx: StreamContext<'a>) -> StreamReader<'a> {
        StreamReader {
            generation: Generation {
                images: Vec::new(),
                meta: ResponseMeta::default(),
                request_id: ctx.request_id.clone(),
                warning: None,
            },
            ctx,
            parser: SseParser::new(),
            partials: 0,
        }
    }

    /// Handles every event the chunk completes.
    pub fn push(
        &mut self,
        chunk: &[u8],
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), ApiError> {
        for event in self.parser.push(chunk) {
            if self.has_all() {
                break;
            }
            self.on_event(&event, progress)?;
        }
        Ok(())
    }

    /// Every image asked for has arrived: nothing later can add to it.
    pub fn has_all(&self) -> bool {
        self.generation.images.len() >= self.ctx.boundary.expected
    }

    /// The stream broke with `err`: the error, unless images had already
    /// arrived, which are kept with a warning naming it.
    pub fn fail(self, err: ApiError) -> Result<Generation, ApiError> {
        self.generation.kept_after(err, self.ctx.boundary.expected)
    }

    /// The stream has ended: the images, or why there are none.
    pub fn finish(self) -> Result<Generation, ApiError> {
        if self.generation.images.is_empty() {
            return Err(ApiError::StreamIncomplete {
                partials: self.partials,
                request_id: self.ctx.request_id,
            });
        }
        Ok(self.generation)
    }

    fn on_event(
        &mut self,
        event: &SseEvent,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), ApiError> {
        let data = event.data.trim();
        let named_error = event.event.as_deref() == Some("error");
        if data == "[DONE]" {
            return Ok(());
        }
        let request_id = self.ctx.request_id.as_deref();
        let payload = match serde_json::from_str::<Value>(data) {
            Ok(value) => value,
            Err(_) if named_error => return Err(stream_error(&Value::Null, &self.ctx)),
            // Data meant as JSON that does not parse is a broken stream;
            // anything else (`ping`, a keep-alive word) is not an event of ours.
            Err(e) if data.starts_with('{') => {
                return Err(ApiError::Protocol {
                    detail: format!(
                        "an event was not valid JSON ({})",
                        super::decode::json_error_text(&e)
                    ),
                    request_id: request_id.map(str::to_string),
                });
            }
            Err(_) => return Ok(()),
        };
        let kind = payload.get("type").and_then(Value::as_str).unwrap_or("");
        if named_error || kind == "error" || payload.get("error").is_some_and(|e| !e.is_null()) {
            return Err(stream_error(&payload, &self.ctx));
        }
        let b64 = || {
            payload
                .get("b64_json")
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        if kind.ends_with(".partial_image") {
            // Previews only: past a few per image they are not decoded.
            if self.partials >= MAX_PARTIALS * self.ctx.boundary.expected {
                return Ok(());
            }
            // A broken preview is skipped: the image it previews may still
            // arrive whole, and it is paid for either way.
            let image = match decode_b64_image(b64(), request_id) {
                Ok((image, _)) => image,
                Err(err) => {
                    tracing::warn!("a partial image was skipped: {err}");
                    return Ok(());
                }
            };
            // The index only orders previews: any odd value is replaced by the count.
            let index = payload
                .get("partial_image_index")
                .and_then(Value::as_u64)
                .and_then(|i| u32::try_from(i).ok())
                .filter(|&i| i < 1_000)
                .unwrap_or(self.partials as u32);
            self.partials += 1;
            progress(Progress::Partial { index, image });
        } else if kind.ends_with(".completed") {
            let (bytes, info) = decode_b64_image(b64(), request_id)?;
            let boundary = self.ctx.boundary;
            let revised = payload
                .get("revised_prompt")
                .and_then(Value::as_str)
                .map(str::to_string);
            self.generation.images.push(GeneratedImage {
                bytes,
                info,
                revised_prompt: boundary.revised_prompt(revised),
            });
            let meta: ResponseMeta = serde_json::from_value(payload).unwrap_or_default();
            self.generation.meta = boundary.meta(meta);
        }
        // Unknown event types are skipped: newer servers may add some.
        Ok(())
    }
}

/// An error event becomes the same error kind an HTTP error with that code would.
fn stream_error(value: &Value, ctx: &StreamContext<'_>) -> ApiError {
    let inner = value
        .get("error")
        .filter(|e| e.is_object())
        .cloned()
        .unwrap_or_else(|| value.clone());
    let code = inner.get("code").and_then(|c| c.as_str()).unwrap_or("");
    let status = match code {
        "rate_limit_exceeded" => 429,
        "moderation_blocked" | "content_policy_violation" | "invalid_request_error" => 400,
        _ if inner.get("type").and_then(|t| t.as_str()) == Some("invalid_request_error") => 400,
        _ => 500,
    };
    let body = serde_json::json!({ "error": inner }).to_string();
    let mut answer = read_error_answer(
        status,
        &reqwest::header::HeaderMap::new(),
        body.as_bytes(),
        ctx.boundary.secret,
    );
    answer.said.request_id = ctx.request_id.clone();
    classify(answer, 1, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(expected: u8) -> StreamContext<'static> {
        StreamContext {
            cap: Cap {
                bytes: 1 << 20,
                timeout: std::time::Duration::from_secs(1),
                what: "answer",
            },
            request_id: Some("req_1".into()),
            boundary: Boundary::new(Some("sk-fuzz-secret-0000"), Some(expected)),
        }
    }

    /// Found by the `sse_stream` fuzz target: an event whose JSON is a
    /// string quoting an echoed key and escapes came back in the message.
    #[test]
    fn a_malformed_event_quoting_a_key_and_escapes_is_shown_inert() {
        let mut reader = StreamReader::new(ctx(1));
        let stream = b"event: error\r\ndata: \"error \\u001b[2J sk-fuzz-secret-0000\"\r\n\r\n";
        let err = reader.push(stream, &mut |_| {}).unwrap_err();
        let shown = err.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(!shown.contains("sk-fuzz-secret"), "{shown:?}");
        let mut reader = StreamReader::new(ctx(1));
        let err = reader
            .push(b"data: {\"type\": \x1b[2J\n\n", &mut |_| {})
            .unwrap_err();
        assert_eq!(err.kind(), "protocol");
    }
}
