//! GIF, SVG and markup end to end: the client against the fake server, the
//! answers checked and saved with their sidecars, the fake server's own
//! refusals, and answers that claim a format they are not.

use crate::common;

use artty::api::request::SvgOptions;
use artty::api::{ApiError, Catalog, ImageRequest};
use artty::fake::{FakeOptions, FakeServer, Fault};
use artty::images::probe::{Animation, ImageFormat};
use artty::store::gallery::Gallery;
use artty::store::sidecar::RequestRecord;
use common::*;

const FLARE: &str = "gpt-image-2.6-flare";

fn record(request: &artty::api::ValidRequest) -> RequestRecord {
    let params = request.request().params.clone();
    let prices = Catalog::builtin().prices(&params.model, false);
    RequestRecord::new(
        request.request().endpoint,
        params,
        "http://127.0.0.1",
        prices,
    )
}

#[tokio::test]
async fn a_gif_arrives_with_its_frames_and_is_saved_as_a_gif() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let mut p = params(FLARE, "a bouncing ball");
    p.output_format = Some("gif".into());
    p.frame_count = Some(4);
    p.frame_duration_ms = Some(120);
    p.size = Some("256x256".into());
    let request = valid(ImageRequest::generate(p));
    let generation = create(&client, &request).await.0.unwrap();
    let info = generation.images[0].info;
    assert_eq!((info.format, info.width), (ImageFormat::Gif, 256));
    assert_eq!(
        info.animation,
        Some(Animation {
            frames: 4,
            frame_ms: 120
        })
    );
    let sent = server.requests()[0].json.clone().unwrap();
    assert_eq!(sent["frame_count"], 4);
    assert_eq!(sent["frame_duration_ms"], 120);

    let dir = tempfile::tempdir().unwrap();
    let saved = Gallery::open(dir.path())
        .unwrap()
        .save(&generation, &record(&request))
        .unwrap();
    assert_eq!(saved[0].path.extension().unwrap(), "gif");
    let sidecar = &saved[0].sidecar;
    assert_eq!(
        sidecar.animation,
        Some(Animation {
            frames: 4,
            frame_ms: 120
        })
    );
    assert_eq!(sidecar.params.frame_count, Some(4));
    let listed = Gallery::open(dir.path()).unwrap().load().unwrap();
    assert_eq!(listed.len(), 1, "the GIF is listed again from its sidecar");
}

#[tokio::test]
async fn an_svg_is_well_formed_saved_as_svg_and_its_author_priced() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let mut p = params(FLARE, "a logo");
    p.output_format = Some("svg".into());
    p.svg = SvgOptions::of(Some("gpt-5".into()), Some("low".into()));
    let request = valid(ImageRequest::generate(p));
    let generation = create(&client, &request).await.0.unwrap();
    assert_eq!(generation.images[0].info.format, ImageFormat::Svg);
    let sent = server.requests()[0].json.clone().unwrap();
    assert_eq!(
        sent["svg"],
        serde_json::json!({"model": "gpt-5", "reasoning": {"effort": "low"}})
    );
    assert_eq!(
        generation.meta.svg_usage.as_ref().unwrap()["model"],
        "gpt-5"
    );

    let dir = tempfile::tempdir().unwrap();
    let saved = Gallery::open(dir.path())
        .unwrap()
        .save(&generation, &record(&request))
        .unwrap();
    assert_eq!(saved[0].path.extension().unwrap(), "svg");
    let text = std::fs::read_to_string(&saved[0].path).unwrap();
    assert!(text.contains("<svg"), "{text}");
    let cost = saved[0].sidecar.cost.unwrap();
    // 1056 image tokens at $30/M, the prompt, and the author's 1200 in /
    // 2400 out at gpt-5's $1.25 / $10 per million.
    let author = (1200.0 * 1.25 + 2400.0 * 10.0) / 1e6;
    assert!(cost.usd > author && !cost.svg_unpriced, "{cost:?}");
}

#[tokio::test]
async fn an_answer_that_is_not_well_formed_svg_is_refused_and_nothing_saved() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    for broken in [
        "<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
        "<?xml version='1.0'?><html/>",
    ] {
        let body =
            serde_json::json!({ "created": 1, "data": [{ "b64_json": b64(broken.as_bytes()) }] });
        server.push_fault(Fault::json(200, &body));
        let mut p = params(FLARE, "a logo");
        p.output_format = Some("svg".into());
        let err = create(&client, &valid(ImageRequest::generate(p)))
            .await
            .0
            .unwrap_err();
        assert!(
            matches!(err, ApiError::BadImage { .. }),
            "{broken}: {err:?}"
        );
    }
}

#[tokio::test]
async fn markup_goes_as_its_own_file_part_with_nested_svg_fields() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let image = input("photo.png", 64, 64, ImageFormat::Png);
    let markup = input("marks.png", 64, 64, ImageFormat::Png);
    let mut p = params(FLARE, "the red circle: remove it");
    p.output_format = Some("svg".into());
    p.svg = SvgOptions::of(Some("gpt-5-mini".into()), Some("minimal".into()));
    let request = ImageRequest::edit(p, vec![image], None).with_markup(Some(markup));
    create(&client, &valid(request)).await.0.unwrap();
    let sent = &server.requests()[0];
    let files: Vec<(&str, &str)> = sent
        .files
        .iter()
        .map(|f| (f.field.as_str(), f.file_name.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(files, [("image", "photo.png"), ("markup", "marks.png")]);
    assert_eq!(sent.field("svg[model]"), Some("gpt-5-mini"));
    assert_eq!(sent.field("svg[reasoning][effort]"), Some("minimal"));
}

#[tokio::test]
async fn the_fake_server_refuses_what_the_api_refuses() {
    let server = fake().await;
    let http = reqwest::Client::new();
    let url = format!("{}/images/generations", server.base_url());
    for (body, param) in [
        (
            serde_json::json!({"model": FLARE, "prompt": "x", "output_format": "gif", "stream": true}),
            "stream",
        ),
        (
            serde_json::json!({"model": FLARE, "prompt": "x", "output_format": "svg", "n": 2}),
            "n",
        ),
        (
            serde_json::json!({"model": "gpt-image-2", "prompt": "x", "quality": "max"}),
            "quality",
        ),
        (
            serde_json::json!({"model": FLARE, "prompt": "x", "output_format": "gif", "frame_count": 6, "size": "1024x1024"}),
            "size",
        ),
    ] {
        let answer = http
            .post(&url)
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{body}");
        let error: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(error["error"]["param"], param, "{body}: {error}");
    }
}

#[tokio::test]
async fn an_account_without_gif_access_is_told_so() {
    let options = FakeOptions {
        denied_formats: vec!["gif".into()],
        ..FakeOptions::default()
    };
    let server = FakeServer::start(options).await.unwrap();
    let (client, _) = client_for(&server);
    let mut p = params(FLARE, "a ball");
    p.output_format = Some("gif".into());
    let err = create(&client, &valid(ImageRequest::generate(p)))
        .await
        .0
        .unwrap_err();
    assert_eq!(err.kind(), "no_format_access");
    assert!(
        err.user_message()
            .contains("does not have access to GIF output for this model"),
        "{}",
        err.user_message()
    );
    // PNG from the same account still works.
    create(&client, &generate(FLARE, "a ball")).await.0.unwrap();
}
