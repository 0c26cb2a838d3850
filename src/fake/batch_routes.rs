//! The Files API and the Batch API of the fake server: upload, retrieve,
//! download and delete files; create, retrieve, list and cancel batches.
//! Content is kept on disk and streamed from it, so an output file of
//! gigabytes costs the server no memory either.

// Early refusals are ready-made responses, built once per request of a test server.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

use super::answer::api_error;
use super::batch_run::{describe, settle};
use super::batch_store::{StoredBatch, StoredFile};
use super::faults::{Fault, canned};
use super::form::read_form;
use super::routes::{check_key, headers_of};

use super::state::{FakeState, RecordedRequest};
use crate::api::batch_wire::{MAX_INPUT_FILE_BYTES, MAX_REQUESTS_PER_BATCH};

const PURPOSES: [&str; 6] = [
    "assistants",
    "batch",
    "fine-tune",
    "vision",
    "user_data",
    "evals",
];
const ENDPOINTS: [&str; 2] = ["/v1/images/generations", "/v1/images/edits"];

pub fn router() -> Router<Arc<FakeState>> {
    Router::new()
        .route("/v1/files", post(upload))
        .route("/v1/files/{id}", get(file_info).delete(delete_file))
        .route("/v1/files/{id}/content", get(content))
        .route("/v1/batches", post(create).get(list))
        .route("/v1/batches/{id}", get(retrieve))
        .route("/v1/batches/{id}/cancel", post(cancel))
        // Input files may be up to 200 MB.
        .layer(DefaultBodyLimit::max(
            MAX_INPUT_FILE_BYTES as usize + (1 << 20),
        ))
}

/// Records the request, runs a queued `Respond` fault, checks the key.
fn admit(
    state: &FakeState,
    method: &str,
    path: String,
    headers: &HeaderMap,
    json: Option<Value>,
) -> Result<(), Response> {
    admit_shaped(state, method, path, headers, json).map(|_| ())
}

/// [`admit`], handing back a fault that shapes how the answer is delivered.
fn admit_shaped(
    state: &FakeState,
    method: &str,
    path: String,
    headers: &HeaderMap,
    json: Option<Value>,
) -> Result<Option<Fault>, Response> {
    state.record(RecordedRequest {
        method: method.into(),
        path,
        headers: headers_of(headers),
        json,
        ..Default::default()
    });
    let fault = state.next_fault();
    if let Some(Fault::Respond {
        status,
        headers,
        body,
    }) = &fault
    {
        return Err(canned(*status, headers, body));
    }
    check_key(state, headers)?;
    Ok(fault.filter(Fault::shapes_delivery))
}

fn not_found(what: &str, id: &str) -> Response {
    api_error(
        StatusCode::NOT_FOUND,
        "not_found",
        Some("id"),
        &format!("No such {what}: '{id}'"),
    )
}

fn invalid(param: &str, message: &str) -> Response {
    api_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        Some(param),
        message,
    )
}

async fn upload(State(state): State<Arc<FakeState>>, request: Request) -> Response {
    let headers = request.headers().clone();
    let parsed = match Multipart::from_request(request, &()).await {
        Ok(multipart) => read_form(multipart).await,
        Err(rejection) => Err(rejection.body_text()),
    };
    let (fields, files) = parsed.clone().unwrap_or_default();
    state.record(RecordedRequest {
        method: "POST".into(),
        path: "/v1/files".into(),
        headers: headers_of(&headers),
        fields: fields.clone(),
        files: files.clone(),
        ..Default::default()
    });
    if let Some(Fault::Respond {
        status,
        headers,
        body,
    }) = state.next_fault()
    {
        return canned(status, &headers, &body);
    }
    if let Err(response) = check_key(&state, &headers) {
        return response;
    }
    if let Err(message) = parsed {
        return invalid("file", &message);
    }
    let purpose = fields
        .iter()
        .find(|(n, _)| n == "purpose")
        .map(|(_, v)| v.as_str());
    let Some(purpose) = purpose.filter(|p| PURPOSES.contains(p)) else {
        return invalid(
            "purpose",
            "'purpose' must be one of 'assistants', 'batch', 'fine-tune', 'vision', 'user_data' or 'evals'.",
        );
    };
    let [file] = files.as_slice() else {
        return invalid("file", "Exactly one 'file' is expected.");
    };
    let filename = file.file_name.clone().unwrap_or_default();
    if purpose == "batch" && !filename.ends_with(".jsonl") {
        return invalid("file", "Invalid file format for Batch API. Must be .jsonl");
    }
    let store = &state.batches;
    let id = store.new_id("file");
    let Some(path) = store.content_path(&id) else {
        return invalid("file", "bad id");
    };
    if let Err(e) = std::fs::write(&path, &file.bytes) {
        return invalid("file", &format!("could not keep the file: {e}"));
    }
    let stored = StoredFile {
        id,
        bytes: file.bytes.len() as u64,
        filename,
        purpose: purpose.to_string(),
        created_at: store.now(),
    };
    if let Err(e) = store.add_file(&stored) {
        return invalid("file", &format!("could not keep the file: {e}"));
    }
    axum::Json(stored.json()).into_response()
}

async fn file_info(
    State(state): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = admit(&state, "GET", format!("/v1/files/{id}"), &headers, None) {
        return response;
    }
    match state.batches.file(&id) {
        Some(file) => axum::Json(file.json()).into_response(),
        None => not_found("File", &id),
    }
}

async fn delete_file(
    State(state): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = admit(&state, "DELETE", format!("/v1/files/{id}"), &headers, None) {
        return response;
    }
    match state.batches.delete_file(&id) {
        true => axum::Json(json!({ "id": id, "object": "file", "deleted": true })).into_response(),
        false => not_found("File", &id),
    }
}

/// The file's bytes, read from disk a piece at a time. A queued `Truncate`
/// fault cuts the body off after that many bytes (the full length still
/// announced); a `Drip` fault sends it slowly, so a test can kill its
/// reader halfway.
async fn content(
    State(state): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/v1/files/{id}/content");
    let fault = match admit_shaped(&state, "GET", path, &headers, None) {
        Ok(fault) => fault,
        Err(response) => return response,
    };
    let (Some(info), Some(path)) = (state.batches.file(&id), state.batches.content_path(&id))
    else {
        return not_found("File", &id);
    };
    let Ok(file) = tokio::fs::File::open(&path).await else {
        return not_found("File", &id);
    };
    let (limit, chunk, pause) = match fault {
        Some(Fault::Truncate { after }) => (after as u64, 64 * 1024, None),
        Some(Fault::Drip { chunk, every }) => (u64::MAX, chunk.max(1), Some(every)),
        _ => (u64::MAX, 64 * 1024, None),
    };
    let stream = futures_util::stream::unfold(
        (file, 0u64, true),
        move |(mut file, sent, first)| async move {
            if sent >= limit {
                // Ending with an error makes the server drop the connection mid-body.
                return (limit != u64::MAX).then(|| {
                    (
                        Err(std::io::Error::other("cut off on purpose")),
                        (file, u64::MAX, false),
                    )
                });
            }
            if let (Some(pause), false) = (pause, first) {
                tokio::time::sleep(pause).await;
            }
            let want = chunk.min((limit - sent).min(usize::MAX as u64) as usize);
            let mut buf = vec![0u8; want];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), (file, sent + n as u64, false)))
                }
                Err(e) => Some((Err(e), (file, u64::MAX, false))),
            }
        },
    );
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert("content-length", HeaderValue::from(info.bytes));
    response
}

async fn create(State(state): State<Arc<FakeState>>, headers: HeaderMap, body: Bytes) -> Response {
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    // A `Truncate` fault here makes the batch and loses the answer: the
    // client cannot know whether it was made.
    let shape = match admit_shaped(&state, "POST", "/v1/batches".into(), &headers, json.clone()) {
        Ok(shape) => shape,
        Err(response) => return response,
    };
    let Some(json) = json else {
        return invalid("body", "We could not parse the JSON body of your request.");
    };
    let endpoint = json["endpoint"].as_str().unwrap_or_default();
    if !ENDPOINTS.contains(&endpoint) && !endpoint.starts_with("/v1/") {
        return invalid("endpoint", "'endpoint' is not a supported endpoint.");
    }
    if json["completion_window"] != json!("24h") {
        return invalid("completion_window", "'completion_window' must be '24h'.");
    }
    let input_file_id = json["input_file_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let store = &state.batches;
    let Some(input) = store.file(&input_file_id) else {
        return not_found("File", &input_file_id);
    };
    if input.purpose != "batch" {
        return invalid("input_file_id", "The input file must have purpose 'batch'.");
    }
    let total = count_lines(store.content_path(&input_file_id));
    if total > MAX_REQUESTS_PER_BATCH as u64 {
        return invalid("input_file_id", "A batch may hold at most 50,000 requests.");
    }
    let batch = StoredBatch {
        id: store.new_id("batch"),
        input_file_id,
        endpoint: endpoint.to_string(),
        created_at: store.now(),
        metadata: json["metadata"].clone(),
        plan: state.take_batch_plan(),
        total,
        seconds: state.options.batch_seconds,
        cancelled_at: None,
        ended: None,
    };
    if let Err(e) = store.put_batch(&batch) {
        return invalid("body", &format!("could not keep the batch: {e}"));
    }
    let response = axum::Json(describe(&batch, store.now())).into_response();
    match shape {
        Some(fault) => super::faults::reshape(response, &fault).await,
        None => response,
    }
}

fn count_lines(path: Option<std::path::PathBuf>) -> u64 {
    use std::io::BufRead;
    let Some(file) = path.and_then(|p| std::fs::File::open(p).ok()) else {
        return 0;
    };
    std::io::BufReader::new(file)
        .split(b'\n')
        .flatten()
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .count() as u64
}

/// A stored batch, brought up to the clock first.
async fn current(state: &Arc<FakeState>, id: &str) -> Option<StoredBatch> {
    let _one_at_a_time = state.settling.lock().await;
    let batch = state.batches.batch(id)?;
    Some(settle(state, &state.batches, batch).await)
}

async fn retrieve(
    State(state): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = admit(&state, "GET", format!("/v1/batches/{id}"), &headers, None) {
        return response;
    }
    match current(&state, &id).await {
        Some(batch) => axum::Json(describe(&batch, state.batches.now())).into_response(),
        None => not_found("batch", &id),
    }
}

async fn cancel(
    State(state): State<Arc<FakeState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/v1/batches/{id}/cancel");
    if let Err(response) = admit(&state, "POST", path, &headers, None) {
        return response;
    }
    let Some(mut batch) = current(&state, &id).await else {
        return not_found("batch", &id);
    };
    if batch.ended.is_some() {
        return api_error(
            StatusCode::CONFLICT,
            "batch_not_cancellable",
            None,
            &format!(
                "Cannot cancel a batch with status '{}'.",
                describe(&batch, state.batches.now())["status"]
                    .as_str()
                    .unwrap_or("ended")
            ),
        );
    }
    if batch.cancelled_at.is_none() {
        batch.cancelled_at = Some(state.batches.now());
        let _ = state.batches.put_batch(&batch);
    }
    // Cancelling takes the server a moment; the next read finds it cancelled.
    axum::Json(describe(&batch, state.batches.now())).into_response()
}

#[derive(serde::Deserialize)]
struct ListQuery {
    limit: Option<usize>,
    after: Option<String>,
}

async fn list(
    State(state): State<Arc<FakeState>>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = admit(&state, "GET", "/v1/batches".into(), &headers, None) {
        return response;
    }
    let limit = query.limit.unwrap_or(20).clamp(1, 100);
    let mut ids: Vec<String> = state.batches.batches().into_iter().map(|b| b.id).collect();
    if let Some(after) = &query.after
        && let Some(at) = ids.iter().position(|id| id == after)
    {
        ids.drain(..=at);
    }
    let has_more = ids.len() > limit;
    ids.truncate(limit);
    let mut data = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(batch) = current(&state, id).await {
            data.push(describe(&batch, state.batches.now()));
        }
    }
    axum::Json(json!({
        "object": "list", "data": data, "has_more": has_more,
        "first_id": ids.first(), "last_id": ids.last(),
    }))
    .into_response()
}
