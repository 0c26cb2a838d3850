//! The client against the fake server: every endpoint, each model family,
//! base64 and URL answers, streaming, and exactly what goes on the wire.

use crate::common;

use artty::api::{ApiError, ImageRequest, Progress};
use artty::images::probe::ImageFormat;
use common::*;

#[tokio::test]
async fn generations_for_each_model_family() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    for (model, size, format) in [
        ("gpt-image-2", Some("1536x864"), Some("webp")),
        ("gpt-image-1.5", Some("1024x1536"), Some("jpeg")),
        ("gpt-image-1-mini", None, None),
        ("dall-e-3", Some("1792x1024"), None),
        ("dall-e-2", Some("256x256"), None),
    ] {
        let mut p = params(model, "a lighthouse");
        p.size = size.map(str::to_string);
        p.output_format = format.map(str::to_string);
        let (result, _) = create(&client, &valid(ImageRequest::generate(p))).await;
        let generation = result.unwrap_or_else(|e| panic!("{model}: {e}"));
        let image = &generation.images[0];
        let (w, h) = artty::api::request::parse_size(size.unwrap_or("1024x1024")).unwrap();
        assert_eq!((image.info.width, image.info.height), (w, h), "{model}");
        let expected = match format {
            Some("webp") => ImageFormat::Webp,
            Some("jpeg") => ImageFormat::Jpeg,
            _ => ImageFormat::Png,
        };
        assert_eq!(image.info.format, expected, "{model}");
        assert!(generation.request_id.is_some(), "{model}");
    }
}

#[tokio::test]
async fn model_is_always_sent_and_response_format_never_to_gpt_models() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    create(&client, &generate("gpt-image-2", "a"))
        .await
        .0
        .unwrap();
    let mut p = params("dall-e-2", "b");
    p.response_format = Some("b64_json".into());
    create(&client, &valid(ImageRequest::generate(p)))
        .await
        .0
        .unwrap();
    let requests = server.requests();
    let gpt = requests[0].json.as_ref().unwrap();
    assert_eq!(gpt["model"], "gpt-image-2");
    assert!(gpt.get("response_format").is_none(), "{gpt}");
    assert_eq!(
        gpt.as_object().unwrap().len(),
        2,
        "only model and prompt were set: {gpt}"
    );
    assert_eq!(
        requests[1].json.as_ref().unwrap()["response_format"],
        "b64_json"
    );
    let auth = requests[0].header("authorization").unwrap();
    assert_eq!(auth, format!("Bearer {KEY}"));
    assert_eq!(requests[0].header("openai-organization"), Some("org-test"));
    assert_eq!(requests[0].header("openai-project"), Some("proj-test"));
}

#[tokio::test]
async fn url_answers_are_downloaded_without_any_credential() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let (result, progress) = create(&client, &generate("dall-e-3", "a quiet harbour")).await;
    let generation = result.unwrap();
    assert_eq!(generation.images[0].info.format, ImageFormat::Png);
    assert!(
        generation.images[0]
            .revised_prompt
            .as_deref()
            .unwrap()
            .contains("a quiet harbour")
    );
    assert!(
        progress
            .iter()
            .any(|p| matches!(p, Progress::Downloading { index: 0, of: 1 }))
    );
    let downloads = server.downloads();
    assert_eq!(downloads.len(), 1);
    assert!(
        !downloads[0].carried_credentials(),
        "{:?}",
        downloads[0].headers
    );
}

#[tokio::test]
async fn edits_send_image_array_mask_and_mime_types() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let images = vec![
        input("first.png", 64, 64, ImageFormat::Png),
        input("second.jpg", 32, 48, ImageFormat::Jpeg),
    ];
    let mask = input("mask.png", 64, 64, ImageFormat::Png);
    let mut p = params(
        "gpt-image-1",
        "the bottle from image 1 on the table of image 2",
    );
    p.input_fidelity = Some("high".into());
    p.size = Some("1024x1024".into());
    let request = valid(ImageRequest::edit(p, images, Some(mask)));
    create(&client, &request).await.0.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/v1/images/edits");
    let files: Vec<(&str, &str, &str)> = sent
        .files
        .iter()
        .map(|f| {
            (
                f.field.as_str(),
                f.file_name.as_deref().unwrap(),
                f.content_type.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("image[]", "first.png", "image/png"),
            ("image[]", "second.jpg", "image/jpeg"),
            ("mask", "mask.png", "image/png")
        ]
    );
    assert_eq!(sent.field("model"), Some("gpt-image-1"));
    assert_eq!(sent.field("input_fidelity"), Some("high"));
    assert_eq!(sent.field("response_format"), None);
}

#[tokio::test]
async fn a_single_edit_image_goes_as_image_and_variations_work() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let mut p = params("dall-e-2", "add a hat");
    p.response_format = Some("b64_json".into());
    p.size = Some("256x256".into());
    let edit = valid(ImageRequest::edit(
        p,
        vec![input("a.png", 64, 64, ImageFormat::Png)],
        None,
    ));
    create(&client, &edit).await.0.unwrap();
    let mut vary = artty::api::ImageParams::new("dall-e-2");
    vary.n = Some(2);
    vary.size = Some("512x512".into());
    let generation = create(
        &client,
        &valid(ImageRequest::vary(
            vary,
            input("a.png", 64, 64, ImageFormat::Png),
        )),
    )
    .await
    .0
    .unwrap();
    assert_eq!(generation.images.len(), 2);
    let requests = server.requests();
    assert_eq!(requests[0].files[0].field, "image");
    assert_eq!(requests[1].path, "/v1/images/variations");
    assert_eq!(requests[1].field("prompt"), None);
    assert_eq!(requests[1].field("n"), Some("2"));
}

#[tokio::test]
async fn streaming_delivers_partials_in_order_then_the_final_image() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    for edit in [false, true] {
        let mut p = params("gpt-image-1", "a tiny robot");
        p.stream = Some(true);
        p.partial_images = Some(2);
        let request = if edit {
            ImageRequest::edit(p, vec![input("r.png", 32, 32, ImageFormat::Png)], None)
        } else {
            ImageRequest::generate(p)
        };
        let (result, progress) = create(&client, &valid(request)).await;
        let generation = result.unwrap();
        assert_eq!(generation.images.len(), 1);
        let partials: Vec<u32> = progress
            .iter()
            .filter_map(|p| match p {
                Progress::Partial { index, image } => {
                    assert!(artty::images::probe::probe(image).is_ok());
                    Some(*index)
                }
                _ => None,
            })
            .collect();
        assert_eq!(partials, [0, 1], "edit: {edit}");
        assert!(generation.meta.usage.is_some());
    }
}

#[tokio::test]
async fn model_list_shows_shutdown_dates() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let models = client.list_models().await.unwrap();
    let mini = models.iter().find(|m| m.id == "gpt-image-1-mini").unwrap();
    assert_eq!(mini.shutdown_date.as_deref(), Some("2026-12-01"));
    assert!(
        models
            .iter()
            .any(|m| m.id == "gpt-image-2" && m.shutdown_date.is_none())
    );
}

#[tokio::test]
async fn no_key_is_a_401_in_plain_words() {
    let server = fake().await;
    let mut config = config(&server.base_url());
    config.api_key = None;
    let (client, _) = client_with(config);
    let err = create(&client, &generate("gpt-image-2", "a"))
        .await
        .0
        .unwrap_err();
    assert!(matches!(err, ApiError::InvalidKey(_)), "{err:?}");
    assert!(err.to_string().contains("artty auth set"));
    assert_eq!(server.requests().len(), 1, "auth errors are not retried");
}
