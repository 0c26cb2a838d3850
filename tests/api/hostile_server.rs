//! Reliability cases 51-58: what a successful but hostile answer may carry.
//! Each answer here is one a real server could send; none may put the key
//! anywhere, make artty keep more than it asked for, call a broken image
//! an image, or throw away an image that fully arrived.

use crate::common;

use artty::api::error::ApiError;
use artty::api::{ImageRequest, ValidRequest};
use artty::fake::Fault;
use artty::images::probe::ImageFormat;
use common::*;

const KEY: &str = "sk-test-fake-key-0000000000000000";

fn png() -> Vec<u8> {
    image_bytes(16, 16, ImageFormat::Png, false).to_vec()
}

fn asking(n: u8) -> ValidRequest {
    let mut p = params("gpt-image-2", "hostile");
    p.n = Some(n);
    valid(ImageRequest::generate(p))
}

fn streaming(n: u8) -> ValidRequest {
    let mut p = params("gpt-image-2", "hostile");
    p.n = Some(n);
    p.stream = Some(true);
    p.partial_images = Some(1);
    valid(ImageRequest::generate(p))
}

fn event(kind: &str, body: serde_json::Value) -> String {
    format!("event: {kind}\ndata: {body}\n\n")
}

fn completed(revised: &str) -> String {
    event(
        "image_generation.completed",
        serde_json::json!({"type": "image_generation.completed", "b64_json": b64(&png()),
            "revised_prompt": revised, "size": "16x16", "usage": {"total_tokens": 3}}),
    )
}

/// How many partial images were handed on as previews.
fn previews(progress: &[artty::api::Progress]) -> usize {
    progress
        .iter()
        .filter(|p| matches!(p, artty::api::Progress::Partial { .. }))
        .count()
}

fn everything_shown(result: &artty::api::Generation) -> String {
    format!("{result:?}")
}

#[tokio::test]
async fn case51_a_key_echoed_in_a_successful_answer_is_redacted_at_the_boundary() {
    let server = fake().await;
    let body = serde_json::json!({"created": 1, "size": format!("16x16 {KEY}"),
        "usage": {"note": KEY},
        "data": [{"b64_json": b64(&png()), "revised_prompt": format!("a fox; your key is {KEY}")}]});
    server.push_fault(Fault::json(200, &body).with_header("x-request-id", &format!("req_{KEY}")));
    let mut config = config(&server.base_url());
    config.api_key = artty::api::ApiKey::new(KEY);
    let (client, _) = client_with(config);
    let generation = create(&client, &asking(1)).await.0.unwrap();
    let shown = everything_shown(&generation);
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("sk-test"), "{shown}");
    assert_eq!(generation.request_id.as_deref(), Some("req_[redacted key]"));
    let revised = generation.images[0].revised_prompt.as_deref().unwrap();
    assert_eq!(revised, "a fox; your key is [redacted key]");
}

#[tokio::test]
async fn case53_no_more_images_are_taken_than_were_asked_for() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    // 300 inline images for n=1, then for n=2.
    let many: Vec<_> = (0..300)
        .map(|_| serde_json::json!({"b64_json": b64(&png())}))
        .collect();
    let body = serde_json::json!({"created": 1, "data": many});
    server.push_fault(Fault::json(200, &body));
    server.push_fault(Fault::json(200, &body));
    assert_eq!(create(&client, &asking(1)).await.0.unwrap().images.len(), 1);
    assert_eq!(create(&client, &asking(2)).await.0.unwrap().images.len(), 2);
    // 40 links for n=1: one download, not forty.
    let link = format!("http://{}/files/x.png?sig=S", server.files_addr());
    let links: Vec<_> = (0..40).map(|_| serde_json::json!({"url": link})).collect();
    server.push_fault(Fault::json(200, &serde_json::json!({"data": links})));
    server.push_download_fault(Fault::raw(200, "image/png", png()));
    assert_eq!(create(&client, &asking(1)).await.0.unwrap().images.len(), 1);
    assert_eq!(server.downloads().len(), 1);
    // 200 completed events for n=1, after 50 partial images.
    let partial = event(
        "image_generation.partial_image",
        serde_json::json!({"type": "image_generation.partial_image", "b64_json": b64(&png())}),
    );
    let stream: String = std::iter::repeat_n(partial, 50)
        .chain((0..200).map(|_| completed("r")))
        .collect();
    server.push_fault(Fault::raw(200, "text/event-stream", stream));
    let (result, progress) = create(&client, &streaming(1)).await;
    assert_eq!(result.unwrap().images.len(), 1);
    assert_eq!(
        previews(&progress),
        8,
        "a few previews are shown, not fifty"
    );
}

#[tokio::test]
async fn case54_a_huge_revised_prompt_is_cut_once_at_the_boundary() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let huge = "word ".repeat(1_000_000);
    let body = serde_json::json!({"data": [{"b64_json": b64(&png()), "revised_prompt": huge}]});
    server.push_fault(Fault::json(200, &body));
    let generation = create(&client, &asking(1)).await.0.unwrap();
    let revised = generation.images[0].revised_prompt.as_deref().unwrap();
    assert_eq!(
        revised.chars().count(),
        32_001,
        "32,000 characters and an ellipsis"
    );
    assert!(revised.ends_with('…'));
}

#[tokio::test]
async fn case55_images_that_do_not_decode_whole_are_refused() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let whole = png();
    let half = whole[..whole.len() / 2].to_vec();
    let mut giant = whole.clone();
    giant[16..20].copy_from_slice(&1_000_000u32.to_be_bytes());
    giant[20..24].copy_from_slice(&1_000_000u32.to_be_bytes());
    let crc = crc32fast_hash(&giant[12..29]);
    giant[29..33].copy_from_slice(&crc.to_be_bytes());
    for bytes in [half, giant] {
        let body = serde_json::json!({"data": [{"b64_json": b64(&bytes)}]});
        server.push_fault(Fault::json(200, &body));
        let err = create(&client, &asking(1)).await.0.unwrap_err();
        assert!(matches!(err, ApiError::BadImage { .. }), "{err:?}");
    }
    // The same through a download link.
    let link = format!("http://{}/files/x.png?sig=S", server.files_addr());
    server.push_fault(Fault::json(
        200,
        &serde_json::json!({"data": [{"url": link}]}),
    ));
    server.push_download_fault(Fault::raw(
        200,
        "image/png",
        whole[..whole.len() - 20].to_vec(),
    ));
    let err = create(&client, &asking(1)).await.0.unwrap_err();
    assert!(matches!(err, ApiError::BadImage { .. }), "{err:?}");
}

/// CRC-32 as PNG uses it, without a dependency of the test itself.
fn crc32fast_hash(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn case56_an_image_that_fully_arrived_is_kept_whatever_breaks_after_it() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let after = [
        event(
            "error",
            serde_json::json!({"error": {"code": "server_error", "message": "oops"}}),
        ),
        "data: {\"type\": \"image_generation.partial_image\", \"b64_json\": \n\n".to_string(),
    ];
    for tail in after {
        let stream = format!("{}{tail}", completed("kept"));
        server.push_fault(Fault::raw(200, "text/event-stream", stream));
        let generation = create(&client, &streaming(2)).await.0.unwrap();
        assert_eq!(generation.images.len(), 1);
        let warning = generation.warning.unwrap();
        assert!(warning.contains("1 of 2"), "{warning}");
    }
    // A connection dropped after the completed event.
    server.push_fault(Fault::stream_then_drop(completed("kept")));
    let generation = create(&client, &streaming(2)).await.0.unwrap();
    assert_eq!(generation.images.len(), 1);
    assert!(generation.warning.is_some());
    // The same in a JSON answer: a broken second image, a second link that fails.
    let good = serde_json::json!({"b64_json": b64(&png())});
    let body = serde_json::json!({"data": [good, {"b64_json": "%%%not base64"}]});
    server.push_fault(Fault::json(200, &body));
    let generation = create(&client, &asking(2)).await.0.unwrap();
    assert_eq!(generation.images.len(), 1);
    assert!(generation.warning.unwrap().contains("1 of 2"));
    let link = format!("http://{}/files/x.png?sig=S", server.files_addr());
    let links = serde_json::json!({"data": [{"url": link}, {"url": link}]});
    server.push_fault(Fault::json(200, &links));
    server.push_download_fault(Fault::raw(200, "image/png", png()));
    server.push_download_fault(Fault::raw(500, "text/plain", "storage down"));
    let generation = create(&client, &asking(2)).await.0.unwrap();
    assert_eq!(generation.images.len(), 1);
    assert!(generation.warning.is_some());
    // Without an image, the same faults are still errors.
    server.push_fault(Fault::stream_then_drop(""));
    assert!(create(&client, &streaming(1)).await.0.is_err());
}

#[tokio::test]
async fn case57_pings_unknown_events_and_odd_indexes_never_fail_a_stream() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let partial = |index: serde_json::Value| {
        event(
            "image_generation.partial_image",
            serde_json::json!({"type": "image_generation.partial_image", "b64_json": b64(&png()),
                "partial_image_index": index}),
        )
    };
    let stream = [
        "event: ping\ndata: ping\n\n".to_string(),
        "data: keep-alive\n\n".to_string(),
        event(
            "image_generation.novel",
            serde_json::json!({"type": 7, "b64_json": 5}),
        ),
        event("x", serde_json::json!(["an", "array"])),
        partial(serde_json::json!(-1)),
        partial(serde_json::json!("1")),
        partial(serde_json::json!(99_999_999_999u64)),
        // Previews that do not decode: the image they preview still comes.
        event(
            "image_generation.partial_image",
            serde_json::json!({"type": "image_generation.partial_image",
                "b64_json": b64(&png()[..png().len() / 2])}),
        ),
        event(
            "image_generation.partial_image",
            serde_json::json!({"type": "image_generation.partial_image", "b64_json": "not base64!"}),
        ),
        completed("done"),
    ]
    .concat();
    server.push_fault(Fault::raw(200, "text/event-stream", stream));
    let (result, progress) = create(&client, &streaming(1)).await;
    assert_eq!(result.unwrap().images.len(), 1);
    assert_eq!(previews(&progress), 3);
}

#[tokio::test]
async fn case58_a_bom_or_repeated_keys_do_not_fail_a_paid_answer() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let image = b64(&png());
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(
        serde_json::json!({"data": [{"b64_json": image}]})
            .to_string()
            .as_bytes(),
    );
    let repeated = format!(
        r#"{{"created": 1, "created": 2, "data": [{{"b64_json": "{image}", "b64_json": "{image}"}}]}}"#
    );
    for body in [with_bom, repeated.into_bytes()] {
        server.push_fault(Fault::raw(200, "application/json", body));
        assert_eq!(create(&client, &asking(1)).await.0.unwrap().images.len(), 1);
    }
}

#[tokio::test]
async fn case58_a_file_name_with_line_breaks_cannot_add_multipart_headers() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let source = input(
        "a\r\nContent-Type: text/evil\r\n\"x.png",
        64,
        64,
        ImageFormat::Png,
    );
    let mut p = params("gpt-image-2", "edit it");
    p.size = None;
    let request = valid(ImageRequest::edit(p, vec![source], None));
    create(&client, &request).await.0.unwrap();
    let sent = server.requests().pop().unwrap();
    let name = sent.files[0].file_name.clone().unwrap();
    assert_eq!(name, "a__Content-Type: text/evil___x.png");
    assert!(
        sent.files
            .iter()
            .all(|f| f.content_type.as_deref() == Some("image/png"))
    );
}

#[tokio::test]
async fn case69_a_stalled_tls_handshake_is_reported_as_never_sent() {
    // Accepts the connection, then says nothing: the handshake never ends.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().take(8).collect();
        std::thread::sleep(std::time::Duration::from_secs(60));
        drop(held);
    });
    let mut config = config(&url);
    config.request_timeout = std::time::Duration::from_secs(1);
    config.max_retries = 0;
    let (client, _) = client_with(config);
    let err = create(&client, &asking(1)).await.0.unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    assert!(!err.to_string().contains("billed"), "{err}");
}
