//! The Batch API's and Files API's objects as the server sends them, and
//! the lines of a batch's input and output files. Every string a server
//! sends passes the boundary before it is kept; an id that will stand in a
//! URL path must look like an id, or it is refused.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::catalog::Endpoint;
use super::error::ApiError;
use super::untrusted::Boundary;

/// What the Batch API allows in one input file (its documented limits).
pub const MAX_REQUESTS_PER_BATCH: usize = 50_000;
pub const MAX_INPUT_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// The only completion window the Batch API takes.
pub const COMPLETION_WINDOW: &str = "24h";

/// A batch's status, as the API names it; one it does not name is kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    Validating,
    Failed,
    InProgress,
    Finalizing,
    Completed,
    Expired,
    Cancelling,
    Cancelled,
    #[serde(untagged)]
    Other(String),
}

impl BatchStatus {
    /// No more change will come: its files, if any, can be fetched.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            BatchStatus::Completed
                | BatchStatus::Failed
                | BatchStatus::Expired
                | BatchStatus::Cancelled
        )
    }

    pub fn name(&self) -> &str {
        match self {
            BatchStatus::Validating => "validating",
            BatchStatus::Failed => "failed",
            BatchStatus::InProgress => "in_progress",
            BatchStatus::Finalizing => "finalizing",
            BatchStatus::Completed => "completed",
            BatchStatus::Expired => "expired",
            BatchStatus::Cancelling => "cancelling",
            BatchStatus::Cancelled => "cancelled",
            BatchStatus::Other(text) => text,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounts {
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub completed: u64,
    #[serde(default)]
    pub failed: u64,
}

/// A batch-level error (a bad input file, a line the server refused to read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchProblem {
    pub code: Option<String>,
    pub line: Option<u64>,
    pub message: Option<String>,
}

/// A batch as the server described it, its text made safe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchObject {
    pub id: String,
    pub status: BatchStatus,
    pub endpoint: String,
    pub input_file_id: String,
    pub output_file_id: Option<String>,
    pub error_file_id: Option<String>,
    pub created_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub request_counts: RequestCounts,
    pub errors: Vec<BatchProblem>,
    /// The tokens the whole batch used, as the server counted them.
    pub usage: Option<serde_json::Value>,
}

/// A file the Files API holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileObject {
    pub id: String,
    pub bytes: u64,
    pub filename: String,
    pub purpose: String,
}

#[derive(Deserialize)]
struct RawBatch {
    id: String,
    status: String,
    #[serde(default)]
    endpoint: String,
    #[serde(default)]
    input_file_id: String,
    output_file_id: Option<String>,
    error_file_id: Option<String>,
    created_at: Option<i64>,
    expires_at: Option<i64>,
    completed_at: Option<i64>,
    request_counts: Option<RequestCounts>,
    errors: Option<RawErrors>,
    usage: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawErrors {
    #[serde(default)]
    data: Vec<RawProblem>,
}

#[derive(Deserialize)]
struct RawProblem {
    code: Option<String>,
    line: Option<u64>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct RawFile {
    id: String,
    #[serde(default)]
    bytes: u64,
    #[serde(default)]
    filename: String,
    #[serde(default)]
    purpose: String,
}

#[derive(Deserialize)]
struct RawList {
    #[serde(default)]
    data: Vec<serde_json::Value>,
    #[serde(default)]
    has_more: bool,
    last_id: Option<String>,
}

/// Batch-level errors kept: a server listing more says nothing more useful.
const PROBLEMS_KEPT: usize = 50;

/// An id that will stand in a URL path: letters, digits, `-` and `_`, at
/// most 200 of them. Anything else from a server is refused, not escaped.
pub fn checked_id(raw: &str, what: &str) -> Result<String, ApiError> {
    let fine = !raw.is_empty()
        && raw.len() <= 200
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match fine {
        true => Ok(raw.to_string()),
        false => Err(ApiError::Protocol {
            detail: format!(
                "the server named a {what} with an id that is not one ({})",
                crate::util::inert::inert(raw, 60)
            ),
            request_id: None,
        }),
    }
}

fn not_json(what: &str, err: &serde_json::Error) -> ApiError {
    ApiError::Protocol {
        detail: format!(
            "the {what} was not what the API sends ({})",
            super::decode::json_error_text(err)
        ),
        request_id: None,
    }
}

pub fn parse_batch(body: &[u8], boundary: Boundary<'_>) -> Result<BatchObject, ApiError> {
    let raw: RawBatch = super::decode::parse_json(body).map_err(|e| not_json("batch", &e))?;
    batch_from(raw, boundary)
}

fn batch_from(raw: RawBatch, boundary: Boundary<'_>) -> Result<BatchObject, ApiError> {
    let file_id = |id: Option<String>| -> Result<Option<String>, ApiError> {
        id.filter(|id| !id.is_empty())
            .map(|id| checked_id(&id, "file"))
            .transpose()
    };
    let status = match serde_json::from_value(serde_json::Value::String(raw.status.clone())) {
        Ok(BatchStatus::Other(_)) | Err(_) => BatchStatus::Other(boundary.word(&raw.status, 40)),
        Ok(known) => known,
    };
    Ok(BatchObject {
        id: checked_id(&raw.id, "batch")?,
        status,
        endpoint: boundary.word(&raw.endpoint, 80),
        input_file_id: boundary.word(&raw.input_file_id, 200),
        output_file_id: file_id(raw.output_file_id)?,
        error_file_id: file_id(raw.error_file_id)?,
        created_at: raw.created_at,
        expires_at: raw.expires_at,
        completed_at: raw.completed_at,
        request_counts: raw.request_counts.unwrap_or_default(),
        errors: raw
            .errors
            .map(|e| e.data)
            .unwrap_or_default()
            .into_iter()
            .take(PROBLEMS_KEPT)
            .map(|p| BatchProblem {
                code: p.code.map(|c| boundary.word(&c, 80)),
                line: p.line,
                message: p.message.map(|m| boundary.word(&m, 500)),
            })
            .collect(),
        usage: raw.usage.and_then(|u| boundary.value(u)),
    })
}

/// One page of `GET /batches`: the batches, and the id to ask after for the next.
pub fn parse_batch_list(
    body: &[u8],
    boundary: Boundary<'_>,
) -> Result<(Vec<BatchObject>, Option<String>), ApiError> {
    let raw: RawList = super::decode::parse_json(body).map_err(|e| not_json("batch list", &e))?;
    let mut batches = Vec::with_capacity(raw.data.len());
    for item in raw.data {
        // One unreadable entry costs that entry, not the list.
        if let Ok(batch) = serde_json::from_value::<RawBatch>(item)
            && let Ok(batch) = batch_from(batch, boundary)
        {
            batches.push(batch);
        }
    }
    let next = match (raw.has_more, raw.last_id) {
        (true, Some(last)) => Some(checked_id(&last, "batch")?),
        _ => None,
    };
    Ok((batches, next))
}

pub fn parse_file(body: &[u8], boundary: Boundary<'_>) -> Result<FileObject, ApiError> {
    let raw: RawFile = super::decode::parse_json(body).map_err(|e| not_json("file", &e))?;
    Ok(FileObject {
        id: checked_id(&raw.id, "file")?,
        bytes: raw.bytes,
        filename: boundary.word(&raw.filename, 200),
        purpose: boundary.word(&raw.purpose, 40),
    })
}

/// The Batch API's path for an endpoint; variations have none.
pub fn batch_url(endpoint: Endpoint) -> Option<&'static str> {
    match endpoint {
        Endpoint::Generations => Some("/v1/images/generations"),
        Endpoint::Edits => Some("/v1/images/edits"),
        Endpoint::Variations => None,
    }
}

/// One line of a batch input file.
#[derive(Debug, Serialize)]
pub struct InputLine<'a> {
    pub custom_id: &'a str,
    pub method: &'static str,
    pub url: &'static str,
    pub body: &'a serde_json::Value,
}

/// One line of a batch output or error file. The body of a successful
/// answer stays raw: it is an images answer, decoded like any other.
#[derive(Debug, Deserialize)]
pub struct OutputLine<'a> {
    #[serde(default)]
    pub custom_id: Option<String>,
    #[serde(default, borrow)]
    pub response: Option<OutputResponse<'a>>,
    #[serde(default)]
    pub error: Option<OutputError>,
}

#[derive(Debug, Deserialize)]
pub struct OutputResponse<'a> {
    #[serde(default)]
    pub status_code: u16,
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(borrow)]
    pub body: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
pub struct OutputError {
    pub code: Option<String>,
    pub message: Option<String>,
}

/// What an output line says once read.
#[derive(Debug)]
pub enum LineResult<'a> {
    /// An images answer (its JSON), with its request id.
    Answer {
        body: &'a [u8],
        request_id: Option<String>,
    },
    /// The request failed: the reason, made safe.
    Failed { reason: String },
}

/// Reads one line of an output or error file: its `custom_id` and result.
/// A line that is not one gives `Err` with why.
pub fn read_output_line<'a>(
    line: &'a [u8],
    boundary: Boundary<'_>,
) -> Result<(String, LineResult<'a>), String> {
    let parsed: OutputLine<'a> = serde_json::from_slice(line).map_err(|e| {
        format!(
            "a line is not JSON ({})",
            super::decode::json_error_text(&e)
        )
    })?;
    let custom_id = parsed
        .custom_id
        .ok_or_else(|| "a line has no custom_id".to_string())?;
    let custom_id = boundary.word(&custom_id, 200);
    let request_id = |r: &OutputResponse<'_>| r.request_id.as_ref().map(|i| boundary.word(i, 80));
    let result = match (parsed.response, parsed.error) {
        (_, Some(error)) => LineResult::Failed {
            reason: reason_of(error.code.as_deref(), error.message.as_deref(), boundary),
        },
        (Some(response), None) if response.status_code == 200 => match response.body {
            Some(body) => LineResult::Answer {
                body: body.get().as_bytes(),
                request_id: request_id(&response),
            },
            None => LineResult::Failed {
                reason: "the answer had no body".into(),
            },
        },
        (Some(response), None) => {
            let said: Option<serde_json::Value> = response
                .body
                .and_then(|b| serde_json::from_str(b.get()).ok());
            let error = said.as_ref().and_then(|v| v.get("error"));
            let text = |name: &str| error.and_then(|e| e.get(name)).and_then(|v| v.as_str());
            LineResult::Failed {
                reason: format!(
                    "HTTP {}: {}",
                    response.status_code,
                    reason_of(text("code"), text("message"), boundary)
                ),
            }
        }
        (None, None) => LineResult::Failed {
            reason: "the line has neither an answer nor an error".into(),
        },
    };
    Ok((custom_id, result))
}

fn reason_of(code: Option<&str>, message: Option<&str>, boundary: Boundary<'_>) -> String {
    match (code, message) {
        (Some(code), Some(message)) => format!(
            "{} ({})",
            boundary.word(message, 400),
            boundary.word(code, 60)
        ),
        (None, Some(message)) => boundary.word(message, 400),
        (Some(code), None) => boundary.word(code, 60),
        (None, None) => "no reason given".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_would_change_a_url_are_refused() {
        assert!(checked_id("batch_abc-123", "batch").is_ok());
        for bad in ["", "../../v1/files", "a/b", "a?b", "a b", "x\u{1b}[2J"] {
            assert!(checked_id(bad, "batch").is_err(), "{bad:?}");
        }
        let body = br#"{"id": "batch_1", "status": "completed", "output_file_id": "../secret"}"#;
        assert!(parse_batch(body, Boundary::new(None, None)).is_err());
    }

    #[test]
    fn a_status_it_does_not_know_is_kept_as_inert_text() {
        let body = br#"{"id": "batch_1", "status": "paused\u001b[31m", "request_counts": {"total": 3, "completed": 1, "failed": 1}}"#;
        let batch = parse_batch(body, Boundary::new(None, None)).unwrap();
        assert!(!batch.status.is_final());
        assert!(!batch.status.name().contains('\u{1b}'));
        assert_eq!(batch.request_counts.completed, 1);
        let done = br#"{"id": "batch_1", "status": "expired"}"#;
        assert_eq!(
            parse_batch(done, Boundary::new(None, None)).unwrap().status,
            BatchStatus::Expired
        );
    }

    #[test]
    fn output_lines_give_the_answer_raw_or_the_reason() {
        let b = Boundary::new(Some("sk-secret-000000000000"), None);
        let ok = br#"{"id":"r1","custom_id":"line-1","response":{"status_code":200,"request_id":"req_1","body":{"data":[{"b64_json":"AAAA"}]}},"error":null}"#;
        let (id, result) = read_output_line(ok, b).unwrap();
        assert_eq!(id, "line-1");
        let LineResult::Answer { body, request_id } = result else {
            panic!("not an answer");
        };
        assert_eq!(body, br#"{"data":[{"b64_json":"AAAA"}]}"#);
        assert_eq!(request_id.as_deref(), Some("req_1"));
        let refused = br#"{"custom_id":"line-2","response":{"status_code":400,"body":{"error":{"code":"moderation_blocked","message":"Your request was rejected sk-secret-000000000000"}}}}"#;
        let (_, result) = read_output_line(refused, b).unwrap();
        let LineResult::Failed { reason } = result else {
            panic!("not a failure");
        };
        assert!(reason.contains("HTTP 400") && reason.contains("moderation_blocked"));
        assert!(!reason.contains("sk-secret"), "{reason}");
        let expired = br#"{"custom_id":"line-3","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#;
        assert!(matches!(
            read_output_line(expired, b).unwrap().1,
            LineResult::Failed { .. }
        ));
        assert!(read_output_line(b"{\"response\":null}", b).is_err());
        assert!(read_output_line(b"not json", b).is_err());
    }
}
