//! The rules today's models brought, each checked before anything is sent:
//! xhigh/max quality, complexity, GIF frames and sheets, SVG options,
//! markup, and what each cannot be combined with.

use crate::common;

use artty::api::request::SvgOptions;
use artty::api::{Catalog, ImageParams, ImageRequest, Target, ValidationError, validate};
use artty::images::probe::ImageFormat;
use common::*;

const FLARE: &str = "gpt-image-2.6-flare";

fn target(is_openai: bool) -> Target {
    Target {
        today: jiff::civil::date(2026, 12, 1),
        is_openai,
    }
}

fn check(request: ImageRequest) -> Result<Vec<String>, ValidationError> {
    validate(request, &Catalog::builtin(), &target(true)).map(|v| v.warnings)
}

fn with(model: &str, edit: impl FnOnce(&mut ImageParams)) -> ImageRequest {
    let mut p = params(model, "a cat");
    edit(&mut p);
    ImageRequest::generate(p)
}

fn gif(frames: Option<u8>, size: &str) -> ImageRequest {
    with(FLARE, |p| {
        p.output_format = Some("gif".into());
        p.frame_count = frames;
        p.size = Some(size.into());
    })
}

fn svg(edit: impl FnOnce(&mut ImageParams)) -> ImageRequest {
    with(FLARE, |p| {
        p.output_format = Some("svg".into());
        edit(p);
    })
}

/// An edit of a 64² PNG with a mask and a markup of `w`×`h` in `format`.
fn edit_with(model: &str, mask: bool, markup: Option<(u32, u32, ImageFormat)>) -> ImageRequest {
    let image = input("photo.png", 64, 64, ImageFormat::Png);
    let mask = mask.then(|| input("mask.png", 64, 64, ImageFormat::Png));
    let markup = markup.map(|(w, h, format)| {
        let bytes = image_bytes(w, h, format, true);
        artty::api::InputImage::from_bytes("marks.png", bytes).unwrap()
    });
    ImageRequest::edit(params(model, "circle: remove"), vec![image], mask).with_markup(markup)
}

#[test]
fn what_today_s_models_take_passes() {
    let cases = [
        with("gpt-image-2.5-sunburst", |p| p.quality = Some("max".into())),
        with("gpt-image-2.5-flare", |p| p.quality = Some("xhigh".into())),
        with(FLARE, |p| p.complexity = Some("high".into())),
        gif(Some(4), "720x720"),
        gif(Some(9), "960x960"),
        gif(Some(16), "720x720"),
        gif(None, "auto"),
        svg(|p| p.svg = SvgOptions::of(Some("gpt-5".into()), Some("low".into()))),
        svg(|p| p.n = Some(1)),
        with("gpt-image-2-2026-04-21", |p| {
            p.size = Some("1536x864".into())
        }),
        with(FLARE, |p| p.safety_identifier = Some("user-7f3a".into())),
        edit_with(FLARE, false, Some((64, 64, ImageFormat::Png))),
    ];
    for request in cases {
        let label = format!("{:?}", request.params);
        check(request).unwrap_or_else(|e| panic!("{label}: {e}"));
    }
}

#[test]
fn every_rule_and_exclusion_is_refused_with_its_reason() {
    let cases: Vec<(ImageRequest, &str)> = vec![
        (
            with("gpt-image-2", |p| p.quality = Some("max".into())),
            "quality: \"max\" is not allowed for gpt-image-2; use one of auto, low, medium, high",
        ),
        (
            with(FLARE, |p| p.complexity = Some("extreme".into())),
            "complexity: \"extreme\" is not allowed",
        ),
        (
            with("gpt-image-2.5-flare", |p| {
                p.output_format = Some("gif".into())
            }),
            "output_format: \"gif\" is not allowed for gpt-image-2.5-flare",
        ),
        (
            with(FLARE, |p| {
                p.output_format = Some("gif".into());
                p.stream = Some(true);
            }),
            "stream: GIF output cannot be streamed",
        ),
        (
            with(FLARE, |p| {
                p.output_format = Some("gif".into());
                p.output_compression = Some(50);
            }),
            "output_compression: GIF output takes no compression",
        ),
        (
            gif(Some(6), "1024x1024"),
            "at most 960x960 for 6 GIF frames, not 1024x1024",
        ),
        (gif(Some(12), "832x832"), "at most 816x816"),
        (
            gif(Some(17), "512x512"),
            "frame_count: 17 frames is not between 2 and 16",
        ),
        (
            gif(Some(1), "512x512"),
            "frame_count: 1 frames is not between 2 and 16",
        ),
        (gif(Some(4), "500x500"), "multiples of 16"),
        (
            with(FLARE, |p| p.frame_count = Some(4)),
            "frame_count: applies only with output_format gif",
        ),
        (
            with(FLARE, |p| {
                p.output_format = Some("gif".into());
                p.frame_duration_ms = Some(10);
            }),
            "frame_duration_ms: 10 ms is not between 20 and 655350 ms",
        ),
        (
            svg(|p| p.n = Some(2)),
            "n: SVG output makes one image per request: n must be 1",
        ),
        (
            svg(|p| {
                p.stream = Some(true);
                p.partial_images = Some(1);
            }),
            "stream: SVG output cannot be streamed",
        ),
        (
            svg(|p| p.svg = SvgOptions::of(None, Some("huge".into()))),
            "svg.reasoning.effort: \"huge\" is not an SVG reasoning effort",
        ),
        (
            with(FLARE, |p| {
                p.svg = SvgOptions::of(Some("gpt-5".into()), None)
            }),
            "svg: applies only with output_format svg",
        ),
        (
            svg(|p| p.background = Some("transparent".into())),
            "a transparent background needs output_format png or webp, not svg",
        ),
        (
            edit_with(FLARE, true, Some((64, 64, ImageFormat::Png))),
            "markup: markup cannot be combined with a mask",
        ),
        (
            edit_with(FLARE, false, Some((32, 32, ImageFormat::Png))),
            "markup: marks.png is 32x32 but the first image is 64x64",
        ),
        (
            edit_with(FLARE, false, Some((64, 64, ImageFormat::Jpeg))),
            "must be a PNG with transparency",
        ),
        (
            edit_with("gpt-image-1.5", false, Some((64, 64, ImageFormat::Png))),
            "markup: gpt-image-1.5 does not take markup",
        ),
        (
            with("gpt-image-2", |p| {
                p.input_fidelity = Some("high".into());
            }),
            "input_fidelity",
        ),
        (
            with(FLARE, |p| p.safety_identifier = Some("  ".into())),
            "safety_identifier: is empty",
        ),
    ];
    for (request, expected) in cases {
        let label = format!("{:?}", request.params);
        let err = check(request).expect_err(&label).to_string();
        assert!(
            err.contains(expected),
            "{label}\n  got: {err}\n  expected: {expected}"
        );
    }
}

#[test]
fn the_variations_endpoint_is_retired_on_openai_only() {
    let image = input("photo.png", 64, 64, ImageFormat::Png);
    let vary = || ImageRequest::vary(ImageParams::new("dall-e-2"), image.clone());
    let err = validate(vary(), &Catalog::builtin(), &target(true)).unwrap_err();
    assert!(
        err.to_string()
            .contains("variations endpoint no longer accepts requests"),
        "{err}"
    );
    let compatible = validate(vary(), &Catalog::builtin(), &target(false)).unwrap();
    assert!(
        compatible.warnings[0].contains("shut down"),
        "flagged, not refused"
    );
}

#[test]
fn unsettled_support_is_sent_with_a_warning() {
    let warnings = check(with("gpt-image-2", |p| p.complexity = Some("low".into()))).unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("complexity is not confirmed for gpt-image-2")),
        "{warnings:?}"
    );
    let warnings = check(edit_with(
        "gpt-image-2",
        false,
        Some((64, 64, ImageFormat::Png)),
    ))
    .unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("markup is not confirmed")),
        "{warnings:?}"
    );
    // Settled: no warning.
    let warnings = check(with(FLARE, |p| p.complexity = Some("low".into()))).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let warnings = check(with(FLARE, |p| {
        p.output_format = Some("gif".into());
        p.frame_duration_ms = Some(125);
    }))
    .unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("rounded to 130 ms")),
        "{warnings:?}"
    );
}
