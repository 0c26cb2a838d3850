//! Reading a request the way the API does: multipart forms for edits and
//! variations, JSON parameters for generations, unknown names refused.

// Refusals are ready-made responses, built once per request of a test server.
#![allow(clippy::result_large_err)]

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::answer::api_error;
use super::state::RecordedFile;
use crate::api::catalog::Endpoint;
use crate::api::request::{ImageParams, ImageRequest, InputImage};

pub async fn read_form(
    mut multipart: Multipart,
) -> Result<(Vec<(String, String)>, Vec<RecordedFile>), String> {
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        if file_name.is_some() {
            files.push(RecordedFile {
                field: name,
                file_name,
                content_type,
                bytes,
            });
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok((fields, files))
}

pub fn request_from_form(
    endpoint: Endpoint,
    fields: &[(String, String)],
    files: &[RecordedFile],
) -> Result<ImageRequest, Response> {
    let mut map = Map::new();
    for (name, value) in fields {
        if map.contains_key(name) {
            let message = format!("Duplicate parameter: '{name}'.");
            return Err(api_error(
                StatusCode::BAD_REQUEST,
                "duplicate_parameter",
                Some(name),
                &message,
            ));
        }
        let typed = match name.as_str() {
            "n" | "output_compression" | "partial_images" | "frame_count" | "frame_duration_ms" => {
                value
                    .parse::<u64>()
                    .map(Value::from)
                    .unwrap_or(Value::String(value.clone()))
            }
            "stream" => Value::Bool(value == "true"),
            _ => Value::String(value.clone()),
        };
        insert_nested(&mut map, name, typed);
    }
    let params = params_from_json(Value::Object(map))?;
    let single = files.iter().filter(|f| f.field == "image").count();
    if single > 1 {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "duplicate_parameter",
            Some("image"),
            "Duplicate parameter: 'image'. Send several images as 'image[]'.",
        ));
    }
    let mut images = Vec::new();
    let (mut mask, mut markup) = (None, None);
    for file in files {
        let name = file.file_name.clone().unwrap_or_default();
        let input = InputImage::from_bytes(name, file.bytes.clone()).map_err(|e| {
            api_error(
                StatusCode::BAD_REQUEST,
                "invalid_image_file",
                Some(&file.field),
                &format!("Invalid image file: {e}"),
            )
        })?;
        match file.field.as_str() {
            "image" | "image[]" => images.push(input),
            "mask" => mask = Some(input),
            "markup" => markup = Some(input),
            other => {
                return Err(api_error(
                    StatusCode::BAD_REQUEST,
                    "unknown_parameter",
                    Some(other),
                    &format!("Unknown parameter: '{other}'."),
                ));
            }
        }
    }
    Ok(ImageRequest {
        endpoint,
        params,
        images,
        mask,
        markup,
    })
}

/// `svg[reasoning][effort]` goes in as `{"svg": {"reasoning": {"effort": …}}}`,
/// the way the API reads bracketed form names; plain names as they are.
fn insert_nested(map: &mut Map<String, Value>, name: &str, value: Value) {
    let path: Vec<&str> = name.split('[').map(|p| p.trim_end_matches(']')).collect();
    insert_path(map, &path, value);
}

fn insert_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            map.insert(last.to_string(), value);
        }
        [first, rest @ ..] => {
            let entry = map
                .entry(first.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

/// Reads the JSON parameters; an unknown name is refused as the API does.
pub fn params_from_json(value: Value) -> Result<ImageParams, Response> {
    const KNOWN: &[&str] = &[
        "model",
        "prompt",
        "n",
        "size",
        "quality",
        "style",
        "response_format",
        "background",
        "output_format",
        "output_compression",
        "moderation",
        "input_fidelity",
        "stream",
        "partial_images",
        "complexity",
        "frame_count",
        "frame_duration_ms",
        "svg",
        "safety_identifier",
        "user",
    ];
    if let Some(unknown) = value
        .as_object()
        .and_then(|m| m.keys().find(|k| !KNOWN.contains(&k.as_str())))
    {
        let message = format!("Unknown parameter: '{unknown}'.");
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            Some(unknown),
            &message,
        ));
    }
    let mut value = value;
    if value.get("model").is_none_or(Value::is_null) {
        // The API's own default model, which is retired: artty always names one.
        value["model"] = json!("dall-e-2");
    }
    serde_json::from_value(value).map_err(|e| {
        api_error(
            StatusCode::BAD_REQUEST,
            "invalid_type",
            None,
            &format!("Invalid type: {e}"),
        )
    })
}
