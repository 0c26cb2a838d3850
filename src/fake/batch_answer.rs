//! One line of a fake batch, answered as the images endpoints answer a
//! request: the JSON body read (an edit's `images`, `mask` and `markup` as
//! `{"file_id": …}` references to uploaded files), checked, drawn, and
//! returned as the status and JSON body the endpoint would have sent.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};

use super::batch_store::BatchStore;
use super::faults::Fault;
use super::state::FakeState;
use crate::api::request::{ImageRequest, InputImage};

/// The status and body of one line's answer.
pub async fn answer_line(
    state: &Arc<FakeState>,
    store: &BatchStore,
    body: &Value,
    endpoint: &str,
) -> (u16, Value) {
    let prompt = body["prompt"].as_str();
    // A fault queued for this prompt is this line's answer (a per-line failure).
    if let Some(Fault::Respond { status, body, .. }) = state.next_fault_keyed(prompt) {
        let said = serde_json::from_slice(&body).unwrap_or(Value::Null);
        return (status, said);
    }
    if body["stream"] == json!(true) {
        return refusal("stream", "Streaming is not supported in the Batch API.");
    }
    let mut fields = body.clone();
    let mut take = |name: &str| fields.as_object_mut().and_then(|m| m.remove(name));
    let (images, mask, markup) = (take("images"), take("mask"), take("markup"));
    let params = match super::form::params_from_json(fields) {
        Ok(params) => params,
        Err(_) => {
            return refusal(
                "body",
                "The request body has an unknown or mistyped parameter.",
            );
        }
    };
    let request = match endpoint {
        "/v1/images/generations" => ImageRequest::generate(params),
        "/v1/images/edits" => {
            let listed: Vec<Value> = images
                .and_then(|v| v.as_array().cloned())
                .unwrap_or_default();
            let mut inputs = Vec::with_capacity(listed.len());
            for reference in &listed {
                match referenced(store, reference) {
                    Ok(input) => inputs.push(input),
                    Err(message) => return refusal("images", &message),
                }
            }
            let one = |value: Option<Value>, name: &str| match value {
                None => Ok(None),
                Some(reference) => referenced(store, &reference)
                    .map(Some)
                    .map_err(|m| (name.to_string(), m)),
            };
            let (mask, markup) = match (one(mask, "mask"), one(markup, "markup")) {
                (Ok(mask), Ok(markup)) => (mask, markup),
                (Err((param, message)), _) | (_, Err((param, message))) => {
                    return refusal(&param, &message);
                }
            };
            ImageRequest::edit(params, inputs, mask).with_markup(markup)
        }
        _ => return refusal("url", "This endpoint is not served in a batch."),
    };
    let response = super::answer::answer(state.clone(), request).await;
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// An uploaded image named by `{"file_id": "…"}`.
fn referenced(store: &BatchStore, reference: &Value) -> Result<InputImage, String> {
    let id = reference["file_id"]
        .as_str()
        .ok_or_else(|| "An image reference needs a file_id.".to_string())?;
    let file = store
        .file(id)
        .ok_or_else(|| format!("No such File object: {id}"))?;
    let bytes = store
        .content_path(id)
        .and_then(|p| std::fs::read(p).ok())
        .ok_or_else(|| format!("No such File object: {id}"))?;
    InputImage::from_bytes(file.filename, Bytes::from(bytes))
        .map_err(|e| format!("Invalid image file: {e}"))
}

fn refusal(param: &str, message: &str) -> (u16, Value) {
    (
        400,
        json!({ "error": { "message": message, "type": "invalid_request_error", "param": param, "code": "invalid_value" } }),
    )
}
