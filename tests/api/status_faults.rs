//! Reliability cases 1-16: status codes, retries and error messages.
//! Waits are recorded by an injected clock instead of slept.

use crate::common;

use std::time::{Duration, SystemTime};

use artty::api::ApiError;
use artty::fake::{FakeOptions, FakeServer, Fault};
use common::*;

fn secs(wait: Duration) -> f64 {
    wait.as_secs_f64()
}

#[tokio::test]
async fn case01_429_with_retry_after_then_success_waits_and_saves_once() {
    let server = fake().await;
    server.push_fault(
        Fault::error(429, "rate_limit_exceeded", "slow down").with_header("retry-after", "2"),
    );
    let (client, clock) = client_for(&server);
    let generation = create(&client, &small("a")).await.0.unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(clock.waits(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn case02_retry_after_ms_wins() {
    let server = fake().await;
    let fault = Fault::error(429, "rate_limit_exceeded", "x")
        .with_header("retry-after-ms", "1500")
        .with_header("retry-after", "30");
    server.push_fault(fault);
    let (client, clock) = client_for(&server);
    create(&client, &small("a")).await.0.unwrap();
    assert_eq!(clock.waits(), [Duration::from_millis(1500)]);
}

#[tokio::test]
async fn case03_http_dates_and_garbage_retry_after() {
    let server = fake().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(4));
    server.push_fault(Fault::error(503, "busy", "x").with_header("retry-after", &date));
    for junk in [
        "nan",
        "-5",
        "123456789012345678901234567890",
        "Tue, 45 Nov 2026 99:00:00 GMT",
    ] {
        server.push_fault(Fault::error(503, "busy", "x").with_header("retry-after", junk));
    }
    let mut config = config(&server.base_url());
    config.max_retries = 5;
    let (client, clock) = client_with(config);
    create(&client, &small("a")).await.0.unwrap();
    let waits = clock.waits();
    assert_eq!(waits.len(), 5);
    assert!(
        secs(waits[0]) > 2.0 && secs(waits[0]) <= 4.0,
        "date wait {:?}",
        waits[0]
    );
    for (i, wait) in waits[1..].iter().enumerate() {
        let nominal = 0.5 * f64::from(1u32 << (i + 1));
        assert!(
            secs(*wait) <= nominal && secs(*wait) >= nominal * 0.75,
            "backoff {i}: {wait:?}"
        );
    }
}

#[tokio::test]
async fn case04_server_wait_far_over_the_cap_is_not_waited_for() {
    let server = fake().await;
    server.push_fault(
        Fault::error(429, "rate_limit_exceeded", "x").with_header("retry-after", "3600"),
    );
    let (client, clock) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(
        matches!(err, ApiError::RateLimited { asked_wait: Some(w), .. } if w == Duration::from_secs(3600))
    );
    assert!(err.to_string().contains("3600 s"), "{err}");
    assert_eq!(server.requests().len(), 1);
    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn case05_06_quota_and_billing_are_not_retried() {
    for (status, code) in [
        (429, "insufficient_quota"),
        (400, "billing_hard_limit_reached"),
    ] {
        let server = fake().await;
        server.push_fault(Fault::error(
            status,
            code,
            "You exceeded your current quota.",
        ));
        let (client, _) = client_for(&server);
        let err = create(&client, &small("a")).await.0.unwrap_err();
        assert!(matches!(err, ApiError::Quota(_)), "{code}: {err:?}");
        assert!(err.to_string().contains("billing"), "{err}");
        assert_eq!(server.requests().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn case07_server_errors_then_success_within_backoff_windows() {
    let server = fake().await;
    for status in [500, 502, 503] {
        server.push_fault(Fault::error(status, "server_error", "oops"));
    }
    let mut config = config(&server.base_url());
    config.max_retries = 3;
    let (client, clock) = client_with(config);
    create(&client, &small("a")).await.0.unwrap();
    let waits: Vec<f64> = clock.waits().into_iter().map(secs).collect();
    assert_eq!(waits.len(), 3);
    for (wait, nominal) in waits.iter().zip([0.5, 1.0, 2.0]) {
        assert!(*wait <= nominal && *wait >= nominal * 0.75, "{waits:?}");
    }
}

#[tokio::test]
async fn case08_503_forever_gives_up_with_the_request_id() {
    let server = fake().await;
    for _ in 0..5 {
        server.push_fault(
            Fault::error(503, "overloaded", "try later").with_header("x-request-id", "req_abc123"),
        );
    }
    let (client, _) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert_eq!(server.requests().len(), 3, "2 retries + 1");
    assert!(
        matches!(err, ApiError::Server { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("req_abc123"));
    assert!(err.to_string().contains("req_abc123"));
}

#[tokio::test]
async fn case09_x_should_retry_overrides() {
    let server = fake().await;
    server
        .push_fault(Fault::error(500, "server_error", "x").with_header("x-should-retry", "false"));
    let (api, _) = client_for(&server);
    create(&api, &small("a")).await.0.unwrap_err();
    assert_eq!(server.requests().len(), 1);

    let server = fake().await;
    server.push_fault(Fault::error(400, "weird", "x").with_header("x-should-retry", "true"));
    let (api, _) = client_for(&server);
    create(&api, &small("a")).await.0.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn case10_408_409_retried_404_422_not() {
    for (status, expected_requests) in [(408, 2), (409, 2), (404, 1), (422, 1)] {
        let server = fake().await;
        server.push_fault(Fault::error(status, "x", "x"));
        let (client, _) = client_for(&server);
        let _ = create(&client, &small("a")).await;
        assert_eq!(server.requests().len(), expected_requests, "HTTP {status}");
    }
}

#[tokio::test]
async fn case11_12_moderation_lists_categories_and_is_not_retried() {
    let server = fake().await;
    let body = serde_json::json!({"error": {"message": "Your request was rejected by the safety system.", "type": "image_generation_user_error",
        "code": "moderation_blocked", "param": null, "moderation_details": {"stage": "input", "categories": ["violence", "self-harm"]}}});
    server.push_fault(Fault::json(400, &body));
    server.push_fault(Fault::error(400, "content_policy_violation", "rejected"));
    let (client, _) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(
        matches!(&err, ApiError::Moderation { categories, .. } if categories == &["violence", "self-harm"])
    );
    assert!(err.to_string().contains("violence, self-harm"), "{err}");
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(matches!(err, ApiError::Moderation { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn case13_echoed_key_never_appears() {
    let options = FakeOptions {
        accepted_key: Some("sk-the-right-one-000000".into()),
        ..FakeOptions::default()
    };
    let server = FakeServer::start(options).await.unwrap();
    let (client, _) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(matches!(err, ApiError::InvalidKey(_)), "{err:?}");
    let everything = format!("{err:?} {err}");
    for fragment in ["sk-test", "0123456789", "WXYZ", KEY] {
        assert!(
            !everything.contains(fragment),
            "{fragment} leaked: {everything}"
        );
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn case14_organization_not_verified_says_where() {
    let server = fake().await;
    let message = "Your organization must be verified to use the model `gpt-image-1`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.";
    server.push_fault(Fault::error(403, "", message));
    let (client, _) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(matches!(err, ApiError::OrgNotVerified(_)), "{err:?}");
    assert!(err.to_string().contains("settings/organization/general"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn case15_unknown_parameter_is_named() {
    let server = fake().await;
    let body = serde_json::json!({"error": {"message": "Unknown parameter: 'response_format'.", "type": "invalid_request_error", "param": "response_format", "code": "unknown_parameter"}});
    server.push_fault(Fault::json(400, &body));
    let (client, _) = client_for(&server);
    let err = create(&client, &small("a")).await.0.unwrap_err();
    assert!(err.to_string().contains("`response_format`"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn case16_html_and_empty_error_bodies_are_readable() {
    let server = fake().await;
    server.push_fault(Fault::raw(413, "text/html", "<html><head><title>413 Request Entity Too Large</title></head><body><center>nginx</center></body></html>"));
    server.push_fault(Fault::raw(
        403,
        "text/html",
        "<html><body><h1>Access denied</h1><p>by corporate proxy \x1b[31m</p></body></html>",
    ));
    server.push_fault(Fault::raw(502, "text/plain", ""));
    server.push_fault(Fault::raw(502, "text/plain", ""));
    server.push_fault(Fault::raw(502, "text/plain", ""));
    let (client, _) = client_for(&server);
    let first = create(&client, &small("a"))
        .await
        .0
        .unwrap_err()
        .to_string();
    assert!(
        first.contains("413 Request Entity Too Large") && !first.contains('<'),
        "{first}"
    );
    let second = create(&client, &small("a"))
        .await
        .0
        .unwrap_err()
        .to_string();
    assert!(
        second.contains("Access denied by corporate proxy") && !second.contains('\x1b'),
        "{second}"
    );
    let third = create(&client, &small("a"))
        .await
        .0
        .unwrap_err()
        .to_string();
    assert!(third.contains("empty answer (HTTP 502)"), "{third}");
}
