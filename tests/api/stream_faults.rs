//! Reliability cases 27-37: streamed answers (server-sent events).

use crate::common;

use std::time::Duration;

use artty::api::sse::SseParser;
use artty::api::{ApiError, ImageRequest, Progress, ValidRequest};
use artty::fake::Fault;
use artty::images::probe::ImageFormat;
use common::*;
use serde_json::json;

fn streaming(partials: u8) -> ValidRequest {
    let mut p = params("gpt-image-1", "a paper boat");
    p.stream = Some(true);
    p.partial_images = Some(partials);
    valid(ImageRequest::generate(p))
}

fn event(kind: &str, payload: serde_json::Value) -> String {
    format!("event: {kind}\ndata: {payload}\n\n")
}

fn png_event(kind: &str, index: u32) -> String {
    let bytes = image_bytes(8 + index, 8, ImageFormat::Png, false);
    event(
        kind,
        json!({"type": kind, "b64_json": b64(&bytes), "partial_image_index": index}),
    )
}

fn sse_fault(body: String) -> Fault {
    Fault::raw(200, "text/event-stream", body)
}

fn partial_indexes(progress: &[Progress]) -> Vec<u32> {
    progress
        .iter()
        .filter_map(|p| {
            if let Progress::Partial { index, .. } = p {
                Some(*index)
            } else {
                None
            }
        })
        .collect()
}

#[tokio::test]
async fn case27_two_partials_then_completed() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let (result, progress) = create(&client, &streaming(2)).await;
    assert_eq!(result.unwrap().images.len(), 1);
    assert_eq!(partial_indexes(&progress), [0, 1]);
}

#[tokio::test]
async fn case28_byte_by_byte_and_random_chunks_give_identical_events() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let mut small_stream = params("fake-small", "tiny");
    small_stream.size = Some("32x32".into());
    small_stream.stream = Some(true);
    small_stream.partial_images = Some(2);
    let request = valid(ImageRequest::generate(small_stream));
    let (whole, whole_progress) = create(&client, &request).await;
    server.push_fault(Fault::Drip {
        chunk: 1,
        every: Duration::ZERO,
    });
    let (dripped, dripped_progress) = create(&client, &request).await;
    server.push_fault(Fault::Chunked {
        max_chunk: 13,
        seed: 99,
    });
    let (chunked, chunked_progress) = create(&client, &request).await;
    let whole = whole.unwrap();
    assert_eq!(dripped.unwrap().images, whole.images);
    assert_eq!(chunked.unwrap().images, whole.images);
    assert_eq!(dripped_progress, whole_progress);
    assert_eq!(chunked_progress, whole_progress);
}

#[tokio::test]
async fn case29_31_32_line_endings_comments_and_unknown_events() {
    let completed = png_event("image_generation.completed", 0);
    let noisy = format!(
        ": keep-alive\nid: 7\nretry: 1000\n{}event: image_generation.something_new\ndata: {{\"type\":\"image_generation.something_new\"}}\n\n{}",
        png_event("image_generation.partial_image", 0),
        completed.replacen("data: {", "data: {\ndata: ", 1)
    );
    for ending in ["\n", "\r\n", "\r"] {
        let server = fake().await;
        server.push_fault(sse_fault(noisy.replace('\n', ending)));
        let (client, _) = client_for(&server);
        let (result, progress) = create(&client, &streaming(1)).await;
        let generation = result.unwrap_or_else(|e| panic!("{ending:?}: {e}"));
        assert_eq!(generation.images[0].info.width, 8, "{ending:?}");
        assert_eq!(partial_indexes(&progress), [0], "{ending:?}");
    }
}

#[test]
fn case30_a_20_mb_data_line_parses_in_linear_time() {
    let payload = "A".repeat(20 * 1024 * 1024);
    let stream = format!("data: {payload}\n\n");
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for chunk in stream.as_bytes().chunks(16 * 1024) {
        events.extend(parser.push(chunk));
    }
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].data.len(), payload.len());
}

#[tokio::test]
async fn case33_error_events_become_error_kinds() {
    let server = fake().await;
    let moderation = json!({"type": "error", "error": {"code": "moderation_blocked", "message": "blocked", "moderation_details": {"categories": ["sexual"]}}});
    server.push_fault(sse_fault(
        png_event("image_generation.partial_image", 0) + &event("error", moderation),
    ));
    let rate = json!({"error": {"code": "rate_limit_exceeded", "message": "too many"}});
    server.push_fault(sse_fault(format!("event: error\ndata: {rate}\n\n")));
    let (client, _) = client_for(&server);
    let err = create(&client, &streaming(1)).await.0.unwrap_err();
    assert!(
        matches!(&err, ApiError::Moderation { categories, .. } if categories == &["sexual"]),
        "{err:?}"
    );
    let err = create(&client, &streaming(1)).await.0.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err:?}");
}

#[tokio::test]
async fn case34_end_after_partials_without_completed_is_incomplete() {
    let server = fake().await;
    server.push_fault(sse_fault(png_event("image_generation.partial_image", 0)));
    let (client, _) = client_for(&server);
    let err = create(&client, &streaming(1)).await.0.unwrap_err();
    assert!(
        matches!(err, ApiError::StreamIncomplete { partials: 1, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn case35_malformed_event_json_is_a_protocol_error() {
    let server = fake().await;
    server.push_fault(sse_fault(
        "event: image_generation.completed\ndata: {\"type\": \"image_gen\n\n".into(),
    ));
    let (client, _) = client_for(&server);
    let err = create(&client, &streaming(1)).await.0.unwrap_err();
    assert!(matches!(err, ApiError::Protocol { .. }), "{err:?}");
}

#[tokio::test]
async fn case36_plain_json_or_429_answers_to_a_stream_request() {
    let server = fake().await;
    let bytes = image_bytes(16, 16, ImageFormat::Png, false);
    server.push_fault(Fault::json(
        200,
        &json!({"created": 1, "data": [{"b64_json": b64(&bytes)}]}),
    ));
    server.push_fault(
        Fault::error(429, "rate_limit_exceeded", "wait").with_header("retry-after", "1"),
    );
    let (client, clock) = client_for(&server);
    assert_eq!(
        create(&client, &streaming(1)).await.0.unwrap().images[0]
            .info
            .width,
        16
    );
    let (result, progress) = create(&client, &streaming(1)).await;
    assert_eq!(result.unwrap().images.len(), 1);
    assert_eq!(partial_indexes(&progress), [0]);
    assert_eq!(clock.waits(), [Duration::from_secs(1)]);
}

#[tokio::test]
async fn case37_cancel_mid_stream_closes_promptly() {
    let server = fake().await;
    server.push_fault(Fault::Drip {
        chunk: 4096,
        every: Duration::from_millis(200),
    });
    let (client, _) = client_for(&server);
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel();
    let request = streaming(3);
    let task = tokio::spawn(async move {
        client
            .create(&request, &mut |p| {
                let _ = seen_tx.send(p);
            })
            .await
    });
    while let Some(progress) = seen_rx.recv().await {
        if matches!(progress, Progress::Receiving) {
            break;
        }
    }
    assert_eq!(
        server.open_connections(),
        1,
        "the stream is still being sent"
    );
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    wait_until_closed(&server, Duration::from_secs(10)).await;
}
