//! Edit inputs: any bytes as a source image and as a mask file, fitted to
//! the rules and checked before sending. Errors, never panics, and no
//! decoded image larger than the limits.
#![no_main]

use artty::api::{Catalog, ImageParams, ImageRequest, InputImage, Target, validate};
use artty::edit::fit::FitOptions;
use artty::edit::prepare::{MaskInput, permissive_rules, prepare};
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let split = (cut as usize * rest.len()) / 255;
    let (source, mask) = rest.split_at(split.min(rest.len()));
    let source = Bytes::copy_from_slice(source);
    let mask = Bytes::copy_from_slice(mask);

    let _ = prepare(
        vec![("source.png".into(), source.clone())],
        (!mask.is_empty()).then(|| MaskInput::File(mask.clone())),
        &permissive_rules(),
        FitOptions::default(),
    );

    let (Ok(image), mask) = (
        InputImage::from_bytes("source.png", source),
        InputImage::from_bytes("mask.png", mask).ok(),
    ) else {
        return;
    };
    let catalog = Catalog::builtin();
    for model in ["gpt-image-1", "dall-e-2"] {
        let request = ImageRequest::edit(
            ImageParams {
                prompt: Some("fuzz".into()),
                ..ImageParams::new(model)
            },
            vec![image.clone()],
            mask.clone(),
        );
        let target = Target {
            today: jiff::civil::date(2026, 11, 21),
            is_openai: true,
        };
        let _ = validate(request, &catalog, &target);
    }
});
