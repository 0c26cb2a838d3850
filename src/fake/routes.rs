//! The fake server's endpoints: the three images endpoints and the model
//! list on the API listener, result files on the second listener.

// Early refusals are ready-made responses, built once per request of a test
// server: boxing them would only add noise.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use bytes::Bytes;
use serde_json::{Value, json};

use super::answer::{answer, api_error};
use super::faults::{Fault, canned, reshape};
use super::form::{params_from_json, read_form, request_from_form};
use super::serve::DropConnection;
use super::state::{FakeState, RecordedRequest};
use crate::api::catalog::Endpoint;
use crate::api::request::ImageRequest;

pub fn api_router(state: Arc<FakeState>) -> Router {
    Router::new()
        .route("/v1/images/generations", post(generations))
        .route("/v1/images/edits", post(edits))
        .route("/v1/images/variations", post(variations))
        .route("/v1/models", get(models))
        .with_state(state)
}

pub fn files_router(state: Arc<FakeState>) -> Router {
    Router::new()
        .route("/files/{name}", get(file))
        .with_state(state)
}

pub(super) fn headers_of(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Runs a queued fault that replaces the answer; `None` means "answer normally".
async fn fault_first(fault: &Option<Fault>, conn: &DropConnection) -> Option<Response> {
    match fault {
        Some(Fault::Respond {
            status,
            headers,
            body,
        }) => Some(canned(*status, headers, body)),
        Some(Fault::RespondThenDrop {
            status,
            headers,
            body,
        }) => Some(super::faults::canned_then_dropped(*status, headers, body)),
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(*wait).await;
            None
        }
        Some(Fault::Hang) => std::future::pending().await,
        Some(Fault::Reset) => {
            conn.0.notify_one();
            std::future::pending().await
        }
        _ => None,
    }
}

async fn deliver(response: Response, fault: Option<Fault>) -> Response {
    match fault {
        Some(fault) if fault.shapes_delivery() => reshape(response, &fault).await,
        _ => response,
    }
}

/// 401 unless a bearer key is present (and is the accepted one, when set).
pub(super) fn check_key(state: &FakeState, headers: &HeaderMap) -> Result<(), Response> {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let Some(given) = given else {
        let message = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.";
        return Err(api_error(
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
            None,
            message,
        ));
    };
    match &state.options.accepted_key {
        Some(accepted) if accepted != given => {
            // Echo part of the key, as the real API does, so redaction is exercised.
            let shown: String = given.chars().take(8).collect::<String>()
                + "****"
                + &given[given.len().saturating_sub(4)..];
            let message = format!(
                "Incorrect API key provided: {shown}. You can find your API key at https://platform.openai.com/account/api-keys."
            );
            Err(api_error(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                None,
                &message,
            ))
        }
        _ => Ok(()),
    }
}

async fn generations(
    State(state): State<Arc<FakeState>>,
    Extension(conn): Extension<DropConnection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    state.record(RecordedRequest {
        method: "POST".into(),
        path: "/v1/images/generations".into(),
        headers: headers_of(&headers),
        json: json.clone(),
        ..Default::default()
    });
    let prompt = json.as_ref().and_then(|j| j["prompt"].as_str());
    let fault = state.next_fault_for(prompt);
    if let Some(response) = fault_first(&fault, &conn).await {
        return response;
    }
    if let Err(response) = check_key(&state, &headers) {
        return response;
    }
    let params = match json.map(params_from_json) {
        Some(Ok(params)) => params,
        Some(Err(response)) => return response,
        None => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                None,
                "We could not parse the JSON body of your request.",
            );
        }
    };
    deliver(answer(state, ImageRequest::generate(params)).await, fault).await
}

async fn edits(
    state: State<Arc<FakeState>>,
    conn: Extension<DropConnection>,
    request: Request,
) -> Response {
    multipart_endpoint(state, conn, request, Endpoint::Edits).await
}

async fn variations(
    state: State<Arc<FakeState>>,
    conn: Extension<DropConnection>,
    request: Request,
) -> Response {
    multipart_endpoint(state, conn, request, Endpoint::Variations).await
}

async fn multipart_endpoint(
    State(state): State<Arc<FakeState>>,
    Extension(conn): Extension<DropConnection>,
    request: Request,
    endpoint: Endpoint,
) -> Response {
    let headers = request.headers().clone();
    let path = request.uri().path().to_string();
    let parsed = match Multipart::from_request(request, &()).await {
        Ok(multipart) => read_form(multipart).await,
        Err(rejection) => Err(rejection.body_text()),
    };
    let (fields, files) = parsed.clone().unwrap_or_default();
    state.record(RecordedRequest {
        method: "POST".into(),
        path,
        headers: headers_of(&headers),
        fields: fields.clone(),
        files: files.clone(),
        ..Default::default()
    });
    let prompt = fields
        .iter()
        .find(|(n, _)| n == "prompt")
        .map(|(_, v)| v.as_str());
    let fault = state.next_fault_for(prompt);
    if let Some(response) = fault_first(&fault, &conn).await {
        return response;
    }
    if let Err(response) = check_key(&state, &headers) {
        return response;
    }
    if let Err(message) = parsed {
        return api_error(StatusCode::BAD_REQUEST, "invalid_multipart", None, &message);
    }
    let request = match request_from_form(endpoint, &fields, &files) {
        Ok(request) => request,
        Err(response) => return response,
    };
    deliver(answer(state, request).await, fault).await
}

async fn models(State(state): State<Arc<FakeState>>, headers: HeaderMap) -> Response {
    state.record(RecordedRequest {
        method: "GET".into(),
        path: "/v1/models".into(),
        headers: headers_of(&headers),
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
    let mut data: Vec<Value> = Vec::new();
    for m in state.options.catalog.models() {
        let shutdown = m.shutdown.map(|d| d.to_string());
        for id in std::iter::once(&m.name).chain(&m.snapshots) {
            data.push(json!({ "id": id, "object": "model", "owned_by": "system", "shutdown_date": shutdown }));
        }
    }
    data.push(json!({ "id": "gpt-5", "object": "model", "owned_by": "system" }));
    axum::Json(json!({ "object": "list", "data": data })).into_response()
}

async fn file(
    State(state): State<Arc<FakeState>>,
    Path(name): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    state.record_download(RecordedRequest {
        method: "GET".into(),
        path: format!("/files/{name}"),
        headers: headers_of(&headers),
        ..Default::default()
    });
    let fault = state.next_download_fault_for(&name);
    if let Some(Fault::Respond {
        status,
        headers,
        body,
    }) = &fault
    {
        return canned(*status, headers, body);
    }
    if let Some(Fault::Delay(wait)) = &fault {
        tokio::time::sleep(*wait).await;
    }
    if let Some(Fault::Redirect { host }) = &fault {
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        let location = format!("http://{host}{}{query}", uri.path());
        return (StatusCode::FOUND, [("location", location)]).into_response();
    }
    let response = match state.file(&name) {
        Some((bytes, mime)) => ([("content-type", mime)], bytes).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [("content-type", "application/xml")],
            "<Error><Code>BlobNotFound</Code></Error>",
        )
            .into_response(),
    };
    deliver(response, fault).await
}
