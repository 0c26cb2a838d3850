//! The fake server's real work: check a request like the API does and draw
//! the images it asks for, as JSON (base64 or URLs) or as an event stream.

use std::sync::Arc;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use serde_json::{Value, json};

use super::state::FakeState;
use crate::api::catalog::{Catalog, Endpoint};
use crate::api::request::{ImageRequest, parse_size};
use crate::api::validate::{Target, validate};
use crate::images::probe::ImageFormat;
use crate::images::synthetic::{Synthetic, seed_of};

/// An OpenAI-shaped error answer.
pub fn api_error(status: StatusCode, code: &str, param: Option<&str>, message: &str) -> Response {
    let body = json!({ "error": { "message": message, "type": "invalid_request_error", "param": param, "code": code } });
    (
        status,
        [("x-request-id", "req_fake_error")],
        axum::Json(body),
    )
        .into_response()
}

/// Checks the request and answers it.
pub async fn answer(state: Arc<FakeState>, request: ImageRequest) -> Response {
    let target = Target {
        today: jiff::Zoned::now().date(),
        is_openai: false,
    };
    let checked = match validate(request, &state.options.catalog, &target) {
        Ok(checked) => checked,
        Err(err) => {
            let first = &err.violations[0];
            let code = if first.message.contains("does not take") {
                "unknown_parameter"
            } else {
                "invalid_value"
            };
            return api_error(
                StatusCode::BAD_REQUEST,
                code,
                Some(&first.param),
                &err.to_string(),
            );
        }
    };
    let request = checked.request().clone();
    if let Some(format) = request.params.format()
        && state.options.denied_formats.iter().any(|f| f == format)
    {
        let message = format!(
            "Your organization does not have access to output_format={format} for model {}. Contact support to request access.",
            request.params.model
        );
        return api_error(
            StatusCode::FORBIDDEN,
            "unsupported_value",
            Some("output_format"),
            &message,
        );
    }
    let plan = Plan::of(&request, &state.options.catalog);
    let drawn = tokio::task::spawn_blocking(move || plan.draw_all()).await;
    let Ok((plan, images)) = drawn else {
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            None,
            "drawing failed",
        );
    };
    if request.params.streaming() {
        return event_stream(&plan, &images, state.options.pace);
    }
    if let Some(pace) = state.options.pace {
        tokio::time::sleep(pace * 2).await;
    }
    json_answer(&state, &plan, images)
}

/// What to draw for a request.
#[derive(Debug, Clone)]
struct Plan {
    endpoint: Endpoint,
    model: String,
    prompt: String,
    n: usize,
    width: u32,
    height: u32,
    format: ImageFormat,
    transparent: bool,
    as_url: bool,
    partials: u32,
    quality: String,
    size_text: String,
    gpt: bool,
    input_images: usize,
    /// GIF frames and the time of each.
    frames: u8,
    frame_ms: u32,
    svg_author: Option<String>,
    safety_identifier: Option<String>,
}

impl Plan {
    fn of(request: &ImageRequest, catalog: &Catalog) -> Plan {
        let p = &request.params;
        let format = match p.output_format.as_deref() {
            Some("jpeg") => ImageFormat::Jpeg,
            Some("webp") => ImageFormat::Webp,
            Some("gif") => ImageFormat::Gif,
            Some("svg") => ImageFormat::Svg,
            _ => ImageFormat::Png,
        };
        let gif = catalog.get(&p.model).and_then(|m| m.gif.clone());
        let frames = p
            .frame_count
            .unwrap_or(gif.as_ref().map_or(9, |g| g.frames_default));
        let frame_ms = p
            .frame_duration_ms
            .unwrap_or(gif.as_ref().map_or(200, |g| g.frame_ms_default));
        // A GIF left to the server's size gets the largest frame its count allows.
        let auto_side = match (&gif, format) {
            (Some(rules), ImageFormat::Gif) => rules.max_side(frames).unwrap_or(512).min(1024),
            _ => 1024,
        };
        let size_text = p
            .size
            .clone()
            .filter(|s| s != "auto")
            .unwrap_or_else(|| format!("{auto_side}x{auto_side}"));
        let (width, height) = parse_size(&size_text).unwrap_or((1024, 1024));
        let dalle = p.model.starts_with("dall-e");
        Plan {
            endpoint: request.endpoint,
            model: p.model.clone(),
            prompt: p.prompt.clone().unwrap_or_default(),
            n: usize::from(p.n.unwrap_or(1)),
            width,
            height,
            format,
            transparent: p.background.as_deref() == Some("transparent"),
            // DALL·E answers with URLs unless asked for base64, as the API does.
            as_url: dalle && p.response_format.as_deref() != Some("b64_json"),
            partials: u32::from(p.partial_images.unwrap_or(0)),
            quality: p
                .quality
                .clone()
                .filter(|q| q != "auto")
                .unwrap_or_else(|| "medium".into()),
            size_text,
            gpt: !dalle,
            input_images: request.images.len(),
            frames,
            frame_ms,
            svg_author: (format == ImageFormat::Svg).then(|| {
                p.svg
                    .as_ref()
                    .and_then(|s| s.model.clone())
                    .unwrap_or_else(|| "gpt-5".into())
            }),
            safety_identifier: p
                .safety_identifier
                .clone()
                .filter(|s| !s.is_empty())
                .or_else(|| p.user.clone()),
        }
    }

    /// What the picture says on it: the prompt's first words, then the
    /// model and size.
    fn caption(&self) -> Vec<String> {
        let chars = (self.width / crate::images::lettering::GLYPH)
            .saturating_sub(1)
            .max(8) as usize;
        let shown = match self.prompt.trim() {
            "" => "(variation)".to_string(),
            prompt => prompt.to_string(),
        };
        let mut lines = crate::images::contact_sheet::wrap(&shown, chars.min(32), 2);
        lines.push(format!("{} {}x{}", self.model, self.width, self.height));
        lines
    }

    fn picture(&self, index: usize, coarseness: u32) -> Synthetic {
        let index = index.to_string();
        Synthetic {
            width: self.width,
            height: self.height,
            seed: seed_of(&[&self.model, &self.prompt, self.endpoint.name(), &index]),
            transparent: self.transparent,
            coarseness,
        }
    }

    fn draw_all(self) -> (Plan, Vec<Bytes>) {
        let images = (0..self.n)
            .map(|i| {
                let picture = self.picture(i, 1);
                Bytes::from(match self.format {
                    ImageFormat::Gif => picture.encode_gif(self.frames, self.frame_ms),
                    ImageFormat::Svg => picture.encode_svg(),
                    format => {
                        let mut pixels = picture.draw();
                        crate::images::lettering::caption(&mut pixels, &self.caption());
                        crate::images::synthetic::encode(&pixels, format)
                    }
                })
            })
            .collect();
        (self, images)
    }

    fn meta(&self) -> Value {
        if !self.gpt {
            return json!({});
        }
        let text_tokens = self.prompt.chars().count() / 4 + 1;
        let image_tokens = self.input_images * 323;
        let output = 1056 * self.n;
        let mut meta = json!({
            "size": self.size_text, "quality": self.quality, "output_format": self.format.api_name(),
            "background": if self.transparent { "transparent" } else { "opaque" },
            "usage": {
                "input_tokens": text_tokens + image_tokens, "output_tokens": output,
                "total_tokens": text_tokens + image_tokens + output,
                "input_tokens_details": { "text_tokens": text_tokens, "image_tokens": image_tokens }
            }
        });
        if let Some(author) = &self.svg_author {
            meta["svg_usage"] = json!({
                "model": author, "input_tokens": 1200, "output_tokens": 2400,
                "reasoning_tokens": 800, "total_tokens": 3600
            });
        }
        if let Some(id) = &self.safety_identifier {
            meta["safety_identifier"] = json!(id);
        }
        meta
    }

    fn revised_prompt(&self) -> Option<String> {
        (self.model == "dall-e-3").then(|| format!("A detailed rendering of: {}", self.prompt))
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn json_answer(state: &FakeState, plan: &Plan, images: Vec<Bytes>) -> Response {
    let data: Vec<Value> = images
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let mut item = if plan.as_url {
                let name = format!(
                    "img-{:016x}-{i}.{}",
                    fastrand::u64(..),
                    plan.format.extension()
                );
                json!({ "url": state.host_file(name, bytes, plan.format.mime(), &plan.prompt) })
            } else {
                json!({ "b64_json": b64(&bytes) })
            };
            if let Some(revised) = plan.revised_prompt() {
                item["revised_prompt"] = Value::String(revised);
            }
            item
        })
        .collect();
    let mut body = plan.meta();
    body["created"] = json!(jiff::Timestamp::now().as_second());
    body["data"] = Value::Array(data);
    (
        StatusCode::OK,
        [("x-request-id", request_id())],
        axum::Json(body),
    )
        .into_response()
}

/// Partial images (coarse drafts of the first image), then one completed event per image.
fn event_stream(plan: &Plan, images: &[Bytes], pace: Option<std::time::Duration>) -> Response {
    let prefix = if plan.endpoint == Endpoint::Edits {
        "image_edit"
    } else {
        "image_generation"
    };
    let mut events = Vec::new();
    let mut push = |kind: &str, mut payload: Value| {
        payload["type"] = json!(format!("{prefix}.{kind}"));
        payload["created_at"] = json!(jiff::Timestamp::now().as_second());
        events.push(format!("event: {prefix}.{kind}\ndata: {payload}\n\n"));
    };
    for index in 0..plan.partials {
        let coarse = plan.picture(0, 64 >> index.min(5)).encode(plan.format);
        let mut payload = plan.meta();
        payload["b64_json"] = json!(b64(&coarse));
        payload["partial_image_index"] = json!(index);
        push("partial_image", payload);
    }
    for bytes in images {
        let mut payload = plan.meta();
        payload["b64_json"] = json!(b64(bytes));
        push("completed", payload);
    }
    let headers = [
        ("content-type", "text/event-stream"),
        ("cache-control", "no-cache"),
        ("x-request-id", "req_fake_stream"),
    ];
    (StatusCode::OK, headers, paced(events, pace)).into_response()
}

/// The events as one body, or, with a pace, one event per interval.
fn paced(events: Vec<String>, pace: Option<std::time::Duration>) -> Body {
    let Some(pace) = pace else {
        return Body::from(events.concat());
    };
    let stream = futures_util::stream::unfold(events.into_iter(), move |mut rest| async move {
        let event = rest.next()?;
        tokio::time::sleep(pace).await;
        Some((Ok::<_, std::convert::Infallible>(event), rest))
    });
    Body::from_stream(stream)
}

fn request_id() -> String {
    format!("req_fake_{:012x}", fastrand::u64(..) & 0xffff_ffff_ffff)
}
