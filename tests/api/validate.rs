//! Requests are checked against the model table before anything is sent;
//! each refusal names the parameter and what is allowed.

use crate::common;

use artty::api::{Catalog, ImageParams, ImageRequest, Target, ValidationError, validate};
use artty::images::probe::ImageFormat;
use common::*;

fn today() -> Target {
    Target {
        today: jiff::civil::date(2026, 11, 21),
        is_openai: false,
    }
}

fn check(request: ImageRequest) -> Result<Vec<String>, ValidationError> {
    validate(request, &Catalog::builtin(), &today()).map(|v| v.warnings)
}

fn refused(request: ImageRequest) -> String {
    check(request).expect_err("should be refused").to_string()
}

fn request_for(model: &str, edit: impl FnOnce(&mut ImageParams)) -> ImageRequest {
    let mut p = params(model, "a cat");
    edit(&mut p);
    ImageRequest::generate(p)
}

#[test]
fn parameters_a_model_does_not_take_are_refused_by_name() {
    let cases: Vec<(ImageRequest, &str)> = vec![
        (
            request_for("gpt-image-2", |p| p.response_format = Some("url".into())),
            "response_format: gpt-image-2 does not take response_format",
        ),
        (
            request_for("gpt-image-1", |p| p.style = Some("vivid".into())),
            "style: gpt-image-1 does not take style",
        ),
        (
            request_for("dall-e-3", |p| p.background = Some("transparent".into())),
            "background: dall-e-3 does not take background",
        ),
        (
            request_for("dall-e-2", |p| p.stream = Some(true)),
            "stream: dall-e-2 does not stream",
        ),
        (
            request_for("dall-e-3", |p| p.quality = Some("high".into())),
            "\"high\" is not allowed for dall-e-3; use one of standard, hd",
        ),
        (
            request_for("gpt-image-1.5", |p| p.quality = Some("hd".into())),
            "use one of auto, low, medium, high",
        ),
        (
            request_for("dall-e-3", |p| p.n = Some(2)),
            "n: dall-e-3 takes only 1 image(s) per request, not 2",
        ),
        (
            request_for("gpt-image-1", |p| p.n = Some(11)),
            "n: gpt-image-1 takes 1 to 10",
        ),
        (
            request_for("dall-e-2", |p| p.size = Some("1792x1024".into())),
            "size: 1792x1024 is not one of dall-e-2's sizes: 256x256, 512x512, 1024x1024",
        ),
        (
            request_for("gpt-image-1", |p| p.size = Some("2048x2048".into())),
            "is not one of gpt-image-1's sizes",
        ),
        (
            request_for("gpt-image-1", |p| p.partial_images = Some(2)),
            "partial_images: needs stream turned on",
        ),
        (
            request_for("gpt-image-1", |p| {
                p.stream = Some(true);
                p.partial_images = Some(4)
            }),
            "4 is over the maximum of 3",
        ),
        (
            request_for("gpt-image-1", |p| p.output_compression = Some(50)),
            "applies only with output_format jpeg or webp",
        ),
        (
            request_for("gpt-image-1", |p| {
                p.output_format = Some("jpeg".into());
                p.background = Some("transparent".into())
            }),
            "needs output_format png or webp",
        ),
        (
            request_for("gpt-image-1", |p| p.input_fidelity = Some("high".into())),
            "input_fidelity applies to edits only",
        ),
        (
            request_for("gpt-image-2", |p| p.prompt = None),
            "prompt: a prompt is required",
        ),
    ];
    for (request, expected) in cases {
        let message = refused(request);
        assert!(
            message.contains(expected),
            "expected {expected:?} in {message:?}"
        );
    }
}

#[test]
fn prompt_limits_per_model() {
    for (model, limit) in [
        ("dall-e-2", 1000),
        ("dall-e-3", 4000),
        ("gpt-image-2", 32000),
    ] {
        let at_limit = request_for(model, |p| p.prompt = Some("é".repeat(limit)));
        assert!(check(at_limit).is_ok(), "{model} at its limit");
        let over = refused(request_for(model, |p| {
            p.prompt = Some("a".repeat(limit + 1))
        }));
        assert!(
            over.contains(&format!(
                "{} characters is over {model}'s limit of {limit}",
                limit + 1
            )),
            "{over}"
        );
    }
}

#[test]
fn gpt_image_2_takes_free_sizes_by_rule() {
    for ok in [
        "1536x864",
        "3840x2160",
        "2160x3840",
        "1008x3024",
        "auto",
        "2048x1152",
    ] {
        assert!(
            check(request_for("gpt-image-2", |p| p.size = Some(ok.into()))).is_ok(),
            "{ok}"
        );
    }
    for (bad, why) in [
        ("1000x1000", "multiples of 16"),
        ("4096x1024", "aspect ratio"),
        (
            "3840x2176",
            "at most 3840 pixels on the long side and 8294400 pixels in all",
        ),
        ("4000x2000", "at most"),
        ("big", "not auto or WIDTHxHEIGHT"),
    ] {
        let message = refused(request_for("gpt-image-2", |p| p.size = Some(bad.into())));
        assert!(message.contains(why), "{bad}: {message}");
    }
    let warnings = check(request_for("gpt-image-2", |p| {
        p.size = Some("3840x2160".into())
    }))
    .unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("experimental")),
        "{warnings:?}"
    );
    assert!(
        check(request_for("gpt-image-2", |p| p.size = Some("2560x1440".into())))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn lifecycle_refuses_shut_down_models_on_openai_only() {
    let openai = Target {
        is_openai: true,
        ..today()
    };
    let err = validate(
        request_for("dall-e-3", |_| {}),
        &Catalog::builtin(),
        &openai,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("dall-e-3 was shut down on OpenAI on 2026-05-12; use gpt-image-2"),
        "{err}"
    );
    let elsewhere = check(request_for("dall-e-3", |_| {})).unwrap();
    assert!(elsewhere[0].contains("shut down"), "{elsewhere:?}");
    let deprecated = validate(
        request_for("gpt-image-1-mini", |_| {}),
        &Catalog::builtin(),
        &openai,
    )
    .unwrap()
    .warnings;
    assert!(
        deprecated[0].contains("shuts down on OpenAI on 2026-12-01; use gpt-image-2"),
        "{deprecated:?}"
    );
}

#[test]
fn unknown_models_get_light_checks() {
    let warnings = check(request_for("flux-schnell", |p| {
        p.size = Some("768x768".into())
    }))
    .unwrap();
    assert!(warnings[0].contains("not in the model table"));
    assert!(refused(request_for("flux-schnell", |p| p.n = Some(0))).contains("n:"));
    assert!(
        refused(request_for("flux-schnell", |p| p.size = Some("huge".into()))).contains("size:")
    );
}

#[test]
fn endpoints_per_model() {
    let src = || vec![input("a.png", 64, 64, ImageFormat::Png)];
    let variation = ImageRequest::vary(
        ImageParams::new("gpt-image-2"),
        input("a.png", 64, 64, ImageFormat::Png),
    );
    assert!(
        refused(variation)
            .contains("gpt-image-2 does not serve variations; it serves generations, edits")
    );
    assert!(
        refused(ImageRequest::edit(params("dall-e-3", "x"), src(), None))
            .contains("does not serve edits")
    );
    let mut with_prompt = ImageParams::new("dall-e-2");
    with_prompt.prompt = Some("x".into());
    assert!(
        refused(ImageRequest::vary(
            with_prompt,
            input("a.png", 64, 64, ImageFormat::Png)
        ))
        .contains("variations take no prompt")
    );
}

#[test]
fn case43_edit_inputs_are_checked_before_sending() {
    let png = |w, h| input("in.png", w, h, ImageFormat::Png);
    let dalle = || params("dall-e-2", "add a hat");
    // dall-e-2: one square PNG.
    assert!(
        refused(ImageRequest::edit(dalle(), vec![png(64, 32)], None))
            .contains("square images only")
    );
    assert!(
        refused(ImageRequest::edit(
            dalle(),
            vec![input("in.jpg", 64, 64, ImageFormat::Jpeg)],
            None
        ))
        .contains("is jpeg; dall-e-2 takes png")
    );
    assert!(
        refused(ImageRequest::edit(
            dalle(),
            vec![png(64, 64), png(64, 64)],
            None
        ))
        .contains("2 images is over the limit of 1")
    );
    // GPT models: up to 16 of png/webp/jpeg.
    let many = (0..17).map(|_| png(16, 16)).collect();
    assert!(
        refused(ImageRequest::edit(params("gpt-image-1", "x"), many, None))
            .contains("17 images is over the limit of 16")
    );
    let webp = vec![
        input("in.webp", 32, 32, ImageFormat::Webp),
        input("b.jpg", 20, 10, ImageFormat::Jpeg),
    ];
    assert!(check(ImageRequest::edit(params("gpt-image-1", "x"), webp, None)).is_ok());
    // Masks: PNG with alpha, the first image's size.
    let wrong_size = refused(ImageRequest::edit(
        dalle(),
        vec![png(64, 64)],
        Some(png(32, 32)),
    ));
    assert!(
        wrong_size.contains("mask: in.png is 32x32 but the first image is 64x64"),
        "{wrong_size}"
    );
    let opaque =
        artty::api::InputImage::from_bytes("m.png", image_bytes(64, 64, ImageFormat::Jpeg, false))
            .unwrap();
    assert!(
        refused(ImageRequest::edit(dalle(), vec![png(64, 64)], Some(opaque)))
            .contains("a mask must be a PNG")
    );
    let big = artty::api::InputImage {
        bytes: bytes::Bytes::from(vec![0u8; 4 * 1024 * 1024]),
        ..png(64, 64)
    };
    assert!(
        refused(ImageRequest::edit(dalle(), vec![big], None)).contains("takes files under 4 MB")
    );
}
