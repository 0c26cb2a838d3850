//! The fake server as an Azure OpenAI resource: Azure's URL scheme and
//! credentials in front of the fake's own endpoints.
//!
//! `/openai/deployments/{deployment}/images/{generations,edits}` and
//! `/openai/models` need the `api-version` the server was started with;
//! `/openai/v1/…` needs none. The key comes as `api-key` or as a bearer.
//! Anything else, `/v1/…` included, is a 404, as on Azure, so a client
//! that builds OpenAI's URLs in Azure mode fails here as it would there.
//! What the request arrived as is kept in headers the fake adds
//! (`x-fake-azure-path`, `x-fake-azure-deployment`, `x-fake-azure-auth`:
//! `api-key` or `bearer`), which tests read back
//! from the recorded request.

// A refusal is a ready-made response, built once per refused request of a
// test server: boxing it would only add noise (as in routes.rs).
#![allow(clippy::result_large_err)]

use axum::http::{HeaderValue, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Azure's error shape: `{"error": {"code", "message"}}`.
fn azure_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Rewrites an Azure-shaped request into the fake's own `/v1/…` one, or
/// answers it as Azure would refuse it.
pub fn translate<B>(api_version: &str, request: &mut Request<B>) -> Result<(), Response> {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let (inner, deployment, versioned) = if let Some(rest) = path.strip_prefix("/openai/v1/") {
        (format!("/v1/{rest}"), None, false)
    } else if let Some(rest) = path.strip_prefix("/openai/deployments/") {
        let (deployment, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if !matches!(tail, "images/generations" | "images/edits") {
            return Err(not_found());
        }
        (format!("/v1/{tail}"), Some(deployment.to_string()), true)
    } else if path == "/openai/models" {
        ("/v1/models".to_string(), None, true)
    } else {
        return Err(not_found());
    };
    if versioned {
        match query_value(&query, "api-version") {
            Some(given) if given == api_version => {}
            Some(_) => {
                return Err(azure_error(
                    StatusCode::NOT_FOUND,
                    "404",
                    "Resource not found: this api-version is not served",
                ));
            }
            None => {
                return Err(azure_error(
                    StatusCode::NOT_FOUND,
                    "404",
                    "Resource not found: the api-version query parameter is required",
                ));
            }
        }
    }
    let headers = request.headers_mut();
    let auth = if headers.contains_key("authorization") {
        "bearer"
    } else {
        "api-key"
    };
    headers.insert("x-fake-azure-auth", HeaderValue::from_static(auth));
    // An `api-key` is checked as the fake checks a bearer key.
    if !headers.contains_key("authorization") {
        let key = headers
            .get("api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let Some(key) = key else {
            return Err(azure_error(
                StatusCode::UNAUTHORIZED,
                "401",
                "Access denied due to missing subscription key. Make sure to include the subscription \
                 key when making requests to an API.",
            ));
        };
        if let Ok(value) = HeaderValue::from_str(&format!("Bearer {key}")) {
            headers.insert("authorization", value);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&format!("{path}?{query}")) {
        headers.insert("x-fake-azure-path", value);
    }
    if let Some(value) = deployment.and_then(|d| HeaderValue::from_str(&d).ok()) {
        headers.insert("x-fake-azure-deployment", value);
    }
    *request.uri_mut() = inner.parse::<Uri>().map_err(|_| not_found())?;
    Ok(())
}

fn not_found() -> Response {
    azure_error(StatusCode::NOT_FOUND, "404", "Resource not found")
}
