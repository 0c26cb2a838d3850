//! A realistic ~2 MB `b64_json` answer: a noisy PNG does not compress, so its
//! base64 is about as large as a real high-detail 1024x1024 image's.

use artty::api::decode::{Answered, read_answer};
use artty::api::untrusted::Boundary;
use artty::api::{Endpoint, Generation, ImageParams};
use artty::images::probe::ImageFormat;
use artty::store::gallery::Gallery;
use artty::store::sidecar::RequestRecord;
use base64::Engine;

pub fn answer_body() -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(42);
    let picture = image::RgbaImage::from_fn(620, 620, |_, _| {
        image::Rgba([rng.u8(..), rng.u8(..), rng.u8(..), 255])
    });
    let png = artty::images::synthetic::encode(&picture, ImageFormat::Png);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
    serde_json::to_vec(&serde_json::json!({ "created": 1, "data": [{ "b64_json": b64, "revised_prompt": "noise" }] })).unwrap()
}

/// What the client does with a JSON answer, then what the store does with it.
pub fn save_answer(body: &[u8], gallery: &Gallery) -> usize {
    let (answer, meta) = read_answer(body, None, Boundary::new(None, None)).unwrap();
    let images = answer
        .into_iter()
        .map(|item| match item {
            Answered::Inline(image) => image,
            Answered::Link { .. } | Answered::Broken(_) => {
                unreachable!("the fixture answers inline with whole images")
            }
        })
        .collect();
    let generation = Generation {
        images,
        meta,
        request_id: None,
        warning: None,
    };
    let mut params = ImageParams::new("gpt-image-2");
    params.prompt = Some("benchmark".into());
    let record = RequestRecord::new(Endpoint::Generations, params, "bench", None);
    gallery.save(&generation, &record).unwrap().len()
}
