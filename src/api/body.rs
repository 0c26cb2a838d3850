//! Reading answer bodies with a size cap, so a hostile or broken server
//! cannot make us hold more than the cap in memory.

use std::time::Duration;

use bytes::{Bytes, BytesMut};

use super::error::ApiError;

/// How much of a body we accept, and the timeout in force (for the message).
#[derive(Debug, Clone, Copy)]
pub struct Cap {
    pub bytes: u64,
    pub timeout: Duration,
    pub what: &'static str,
}

/// Reads the whole body, stopping with [`ApiError::TooLarge`] past the cap.
pub async fn read_capped(response: &mut reqwest::Response, cap: Cap) -> Result<Bytes, ApiError> {
    let too_large = ApiError::TooLarge {
        what: cap.what,
        limit: cap.bytes,
    };
    if response.content_length().is_some_and(|len| len > cap.bytes) {
        return Err(too_large);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = next_chunk(response, cap).await? {
        if body.len() as u64 + chunk.len() as u64 > cap.bytes {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The next piece of the body; a broken connection here happened after the
/// server accepted the request, so it may have been billed.
pub async fn next_chunk(
    response: &mut reqwest::Response,
    cap: Cap,
) -> Result<Option<Bytes>, ApiError> {
    response.chunk().await.map_err(|err| {
        if err.is_timeout() {
            ApiError::Timeout {
                after: cap.timeout,
                sent: true,
            }
        } else {
            ApiError::ConnectionLost {
                detail: format!("while receiving the answer: {}", error_chain(&err)),
            }
        }
    })
}

/// A reqwest error's causes in one line. reqwest's own text names the URL,
/// which may be signed, so only the causes are used.
pub fn error_chain(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(
            if err.is_body() {
                "the body was cut off"
            } else {
                "transport error"
            }
            .to_string(),
        );
    }
    crate::util::inert::inert(&parts.join(": "), 200)
}
