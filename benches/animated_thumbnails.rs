//! What an animated GIF or an SVG result costs to make ready, against the
//! named anchor of a still 480² PNG thumbnail in the same run: the median
//! of 15 runs each into a 240² box for kitty (every frame PNG-encoded) and
//! sixel (every frame quantised), and the bytes kitty is sent once.
//! `cargo bench --bench animated_thumbnails`; under `cargo test` it makes
//! each one once, as a smoke test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use artty::images::graphics::Graphics;
use artty::images::kitty::Route;
use artty::images::prepared::Prepared;
use artty::images::synthetic::Synthetic;
use artty::images::thumbnail::PixelBox;

const BOX: PixelBox = PixelBox {
    width: 240,
    height: 240,
};

fn picture(side: u32) -> Synthetic {
    Synthetic {
        width: side,
        height: side,
        seed: 11,
        transparent: false,
        coarseness: 1,
    }
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let runs = if benching { 15 } else { 1 };
    let still = picture(480).encode(artty::images::probe::ImageFormat::Png);
    let cases = [
        ("anchor: still 480² PNG", still),
        ("GIF 4 frames of 480²", picture(480).encode_gif(4, 200)),
        ("GIF 9 frames of 960²", picture(960).encode_gif(9, 200)),
        ("SVG 1024²", picture(1024).encode_svg()),
    ];
    for (mode, graphics) in [
        ("kitty", Graphics::Kitty(Route::Direct)),
        ("sixel", Graphics::Sixel),
    ] {
        let mut anchor = None;
        for (name, bytes) in &cases {
            let made = Prepared::from_image_bytes(bytes, BOX, graphics).expect("made ready");
            let sent = made.prepared.payload.len()
                + made
                    .prepared
                    .frames
                    .iter()
                    .map(|f| f.payload.len())
                    .sum::<usize>();
            let time = median(runs, || {
                Prepared::from_image_bytes(bytes, BOX, graphics).expect("made ready");
            });
            let base = *anchor.get_or_insert(time);
            println!(
                "{mode:<6} {name:<24} {:>8.1} ms  {:>5.1}x the anchor  {:>4} frame(s), {:>8} bytes of payload",
                time.as_secs_f64() * 1e3,
                time.as_secs_f64() / base.as_secs_f64(),
                1 + made.prepared.frames.len(),
                sent
            );
        }
    }
}
