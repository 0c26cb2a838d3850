//! Faults the fake server can inject, one per request, in the order queued.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream;

/// What to do instead of (or to) the next answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with exactly this, doing no work.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Answer with exactly these bytes, then drop the connection instead of
    /// ending the body: a reset after the last byte that arrived.
    RespondThenDrop {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait before answering normally (headers come late).
    Delay(Duration),
    /// Read the request and never answer.
    Hang,
    /// Close the connection after reading the request, before any header.
    Reset,
    /// Answer normally, `chunk` bytes at a time with a pause between.
    Drip { chunk: usize, every: Duration },
    /// Answer normally, announce the full length, close after `after` body bytes.
    Truncate { after: usize },
    /// Answer normally in pieces of random sizes up to `max_chunk`.
    Chunked { max_chunk: usize, seed: u64 },
    /// Files listener only: redirect to the same path and query on another host name.
    Redirect { host: String },
}

impl Fault {
    /// An OpenAI-shaped error: `{"error":{"message","type","param","code"}}`.
    pub fn error(status: u16, code: &str, message: &str) -> Fault {
        let body = serde_json::json!({
            "error": { "message": message, "type": error_type(status), "param": null, "code": code }
        });
        Fault::json(status, &body)
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// Any bytes with any content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// An event stream of exactly `body` that breaks off after it.
    pub fn stream_then_drop(body: impl Into<Vec<u8>>) -> Fault {
        Fault::RespondThenDrop {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            body: body.into(),
        }
    }

    /// Adds a header to a `Respond` fault (other faults are returned as they are).
    pub fn with_header(mut self, name: &str, value: &str) -> Fault {
        if let Fault::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// True for faults that change how a normal answer is delivered.
    pub fn shapes_delivery(&self) -> bool {
        matches!(
            self,
            Fault::Drip { .. } | Fault::Truncate { .. } | Fault::Chunked { .. }
        )
    }
}

fn error_type(status: u16) -> &'static str {
    match status {
        401 => "invalid_request_error",
        429 => "requests",
        500.. => "server_error",
        _ => "invalid_request_error",
    }
}

/// Builds the canned answer of a `Respond` fault.
pub fn canned(status: u16, headers: &[(String, String)], body: &[u8]) -> Response {
    let mut response = Response::new(Body::from(body.to_vec()));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// The canned answer of a `RespondThenDrop` fault: the body, then an error
/// that makes the server drop the connection before the body's end.
pub fn canned_then_dropped(status: u16, headers: &[(String, String)], body: &[u8]) -> Response {
    let mut response = canned(status, headers, &[]);
    response
        .headers_mut()
        .remove(axum::http::header::CONTENT_LENGTH);
    let body = Bytes::copy_from_slice(body);
    // The pause before the error makes the server flush what it has (the
    // headers and the body) before it drops the connection.
    let items = stream::unfold(0, move |step| {
        let body = body.clone();
        async move {
            match step {
                0 => Some((Ok(body), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    Some((Err(std::io::Error::other("dropped on purpose")), 2))
                }
                _ => None,
            }
        }
    });
    *response.body_mut() = Body::from_stream(items);
    response
}

/// Re-delivers a finished answer the way a delivery fault says.
pub async fn reshape(response: Response, fault: &Fault) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let pieces = split(&bytes, fault);
    let pause = match fault {
        Fault::Drip { every, .. } => *every,
        _ => Duration::ZERO,
    };
    let truncated = matches!(fault, Fault::Truncate { .. });
    if truncated {
        parts.headers.insert(
            axum::http::header::CONTENT_LENGTH,
            HeaderValue::from(bytes.len()),
        );
    } else {
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    }
    let mut items: Vec<Result<Bytes, std::io::Error>> = pieces.into_iter().map(Ok).collect();
    if truncated {
        // Ending with an error makes the server drop the connection mid-body.
        items.push(Err(std::io::Error::other("truncated on purpose")));
    }
    let stream = stream::unfold(
        (items.into_iter(), true),
        move |(mut rest, first)| async move {
            let item = rest.next()?;
            if !first && !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            Some((item, (rest, false)))
        },
    );
    Response::from_parts(parts, Body::from_stream(stream))
}

fn split(bytes: &Bytes, fault: &Fault) -> Vec<Bytes> {
    match fault {
        Fault::Drip { chunk, .. } => bytes
            .chunks((*chunk).max(1))
            .map(Bytes::copy_from_slice)
            .collect(),
        Fault::Truncate { after } => vec![bytes.slice(..(*after).min(bytes.len()))],
        Fault::Chunked { max_chunk, seed } => {
            let mut rng = fastrand::Rng::with_seed(*seed);
            let mut pieces = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                let take = rng.usize(1..=(*max_chunk).max(1)).min(bytes.len() - at);
                pieces.push(bytes.slice(at..at + take));
                at += take;
            }
            pieces
        }
        _ => vec![bytes.clone()],
    }
}
