//! Reliability cases 17-26: bodies that lie, and transport failures.

use crate::common;

use std::time::Duration;

use artty::api::ApiError;
use artty::api::error::DownloadFailure;
use artty::fake::Fault;
use artty::images::probe::ImageFormat;
use common::*;
use serde_json::json;

#[tokio::test]
async fn case17_empty_or_null_data_is_no_image() {
    let server = fake().await;
    server.push_fault(Fault::json(200, &json!({"created": 1, "data": []})));
    server.push_fault(Fault::json(200, &json!({"created": 1, "data": null})));
    let (client, _) = client_for(&server);
    for _ in 0..2 {
        let err = create(&client, &small("a")).await.0.unwrap_err();
        assert!(matches!(err, ApiError::NoImage { .. }), "{err:?}");
        assert_eq!(err.to_string(), "The server returned no image.");
    }
}

#[tokio::test]
async fn case18_bad_base64_and_non_image_bytes_are_rejected() {
    let server = fake().await;
    server.push_fault(Fault::json(
        200,
        &json!({"created": 1, "data": [{"b64_json": "%%%not-base64%%%"}]}),
    ));
    server.push_fault(Fault::json(
        200,
        &json!({"created": 1, "data": [{"b64_json": b64(b"<html>not an image</html>")}]}),
    ));
    let (client, _) = client_for(&server);
    for expected in ["invalid base64", "not an image"] {
        let err = create(&client, &small("a")).await.0.unwrap_err();
        assert!(matches!(err, ApiError::BadImage { .. }), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

#[tokio::test]
async fn case19_unknown_fields_and_values_parse_and_the_format_comes_from_the_bytes() {
    let server = fake().await;
    let png = image_bytes(16, 16, ImageFormat::Png, false);
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf".to_vec();
    for bytes in [png.to_vec(), avif] {
        let body = json!({"created": 1, "size": "1536x864", "quality": "xhigh", "output_format": "avif",
            "brand_new_field": {"nested": [1, 2]}, "data": [{"b64_json": b64(&bytes), "unknown": true}]});
        server.push_fault(Fault::json(200, &body));
    }
    let (client, _) = client_for(&server);
    let first = create(&client, &small("a")).await.0.unwrap();
    assert_eq!(first.meta.quality.as_deref(), Some("xhigh"));
    assert_eq!(first.meta.size.as_deref(), Some("1536x864"));
    assert_eq!(
        first.images[0].info.format,
        ImageFormat::Png,
        "the claim 'avif' is not trusted"
    );
    let second = create(&client, &small("a")).await.0.unwrap();
    assert_eq!(second.images[0].info.format.extension(), "avif");
}

#[tokio::test]
async fn case20_answers_and_downloads_over_the_cap_are_stopped() {
    let server = fake().await;
    let mut config = config(&server.base_url());
    config.max_response_bytes = 32 * 1024;
    config.max_download_bytes = 32 * 1024;
    let (client, _) = client_with(config);
    let err = create(&client, &generate("gpt-image-2", "big"))
        .await
        .0
        .unwrap_err();
    assert!(
        matches!(err, ApiError::TooLarge { what: "answer", .. }),
        "{err:?}"
    );
    // Chunked delivery: no Content-Length to reject up front, so the cap applies while reading.
    server.push_fault(Fault::Chunked {
        max_chunk: 4096,
        seed: 1,
    });
    let err = create(&client, &generate("gpt-image-2", "big"))
        .await
        .0
        .unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    let err = create(&client, &generate("dall-e-2", "big download"))
        .await
        .0
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::TooLarge {
                what: "image download",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn case21_nothing_listening_is_retried_then_a_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (client, clock) = client_with(config(&format!("http://127.0.0.1:{port}/v1")));
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(
        matches!(err, ApiError::Connect { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.is_network() && !err.may_have_been_billed());
    assert_eq!(clock.waits().len(), 2);
}

#[tokio::test]
async fn case22_reset_after_sending_is_not_resent() {
    let server = fake().await;
    server.push_fault(Fault::Reset);
    let (client, clock) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(matches!(err, ApiError::ConnectionLost { .. }), "{err:?}");
    assert!(err.may_have_been_billed());
    assert!(err.to_string().contains("may have been billed"));
    assert_eq!(server.requests().len(), 1);
    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn case23_a_silent_server_hits_the_deadline_and_cancel_hangs_up() {
    let server = fake().await;
    server.push_fault(Fault::Hang);
    let mut config = config(&server.base_url());
    config.request_timeout = Duration::from_millis(800);
    let (client, _) = client_with(config);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(
        matches!(err, ApiError::Timeout { sent: true, .. }),
        "{err:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a sent request is not re-sent after a timeout"
    );
    wait_until_closed(&server, Duration::from_secs(10)).await;

    server.push_fault(Fault::Hang);
    let (client, _) = client_for(&server);
    let request = small("b");
    let task = tokio::spawn(async move { create(&client, &request).await.0 });
    while server.requests().len() < 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        server.open_connections(),
        1,
        "the request is waiting for an answer"
    );
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    wait_until_closed(&server, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn case25_content_length_longer_than_the_body_is_a_body_error() {
    let server = fake().await;
    server.push_fault(Fault::Truncate { after: 100 });
    let (client, _) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(matches!(err, ApiError::ConnectionLost { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn case26_a_dripping_download_hits_its_timeout() {
    let server = fake().await;
    server.push_download_fault(Fault::Drip {
        chunk: 1,
        every: Duration::from_secs(1),
    });
    let mut config = config(&server.base_url());
    config.download_timeout = Duration::from_secs(2);
    let (client, _) = client_with(config);
    let err = create(&client, &generate("dall-e-2", "slow"))
        .await
        .0
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Download {
                failure: DownloadFailure::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
}
