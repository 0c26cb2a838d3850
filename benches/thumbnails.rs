//! Thumbnail ready: decode + resize + encode, for a photo-like 1024² PNG
//! and a 1536×1024 one, into a 240×240 box, for kitty (PNG) and sixel.
//! Targets: ≤ 20 ms and ≤ 30 ms median on the development machine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/photo.rs"]
mod photo;

use artty::images::graphics::Graphics;
use artty::images::kitty::Route;
use artty::images::prepared::Prepared;
use artty::images::thumbnail::PixelBox;
use criterion::{Criterion, criterion_group, criterion_main};

const BOX: PixelBox = PixelBox {
    width: 240,
    height: 240,
};

fn thumbnails(c: &mut Criterion) {
    let square = photo::photo_png(1024, 1024, 1);
    let wide = photo::photo_png(1536, 1024, 2);
    let mut group = c.benchmark_group("thumbnail_ready");
    group.sample_size(20);
    for (name, png) in [("1024x1024", &square), ("1536x1024", &wide)] {
        for (mode, graphics) in [
            ("kitty", Graphics::Kitty(Route::Direct)),
            ("sixel", Graphics::Sixel),
        ] {
            group.bench_function(format!("{name}_{mode}"), |b| {
                b.iter(|| Prepared::from_image_bytes(png, BOX, graphics).expect("thumbnail"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, thumbnails);
criterion_main!(benches);
