//! Thumbnail ready: decode + resize + encode, for a photo-like 1024² PNG
//! and a 1536×1024 one, into a 240×240 box, for kitty (PNG) and sixel.
//! Targets: ≤ 20 ms in process on the development machine, and ≤ 0.3× of
//! chafa drawing the same file into the same box (24×12 cells of 10×20
//! px), timed alternately in the same run and printed as a ratio. chafa is
//! the anchor a user would reach for; its time is the whole process, as a
//! user meets it, and the start of a bare `chafa --version` is printed
//! beside it so the share that is only start-up can be seen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/photo.rs"]
mod photo;

use artty::images::graphics::Graphics;
use artty::images::kitty::Route;
use artty::images::prepared::Prepared;
use artty::images::thumbnail::PixelBox;
use criterion::{Criterion, criterion_group};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BOX: PixelBox = PixelBox {
    width: 240,
    height: 240,
};
/// The same box in cells, as chafa is told it: 24×12 cells of 10×20 px.
const CHAFA_SIZE: &str = "24x12";

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

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn run_chafa(args: &[&str]) -> Option<Duration> {
    let started = Instant::now();
    let out = Command::new("chafa")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let elapsed = started.elapsed();
    (out.status.success() && (args == ["--version"] || !out.stdout.is_empty())).then_some(elapsed)
}

/// artty (read + decode + resize + encode, in process) and chafa (the whole
/// process) alternating on the same 1024² file, medians, and their ratio.
fn against_chafa(rounds: usize) {
    if run_chafa(&["--version"]).is_none() {
        println!("thumbnail vs chafa: chafa is not installed (apt-get install chafa); no anchor");
        return;
    }
    let dir = std::env::temp_dir().join(format!("artty-thumb-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("photo-1024.png");
    std::fs::write(&file, photo::photo_png(1024, 1024, 1)).expect("write fixture");
    let path = file.to_str().expect("utf-8 temp path");
    println!("thumbnail vs chafa, 1024² photo → 240² box, {rounds} round(s) alternating:");
    for (mode, graphics, format) in [
        ("kitty", Graphics::Kitty(Route::Direct), "kitty"),
        ("sixel", Graphics::Sixel, "sixels"),
    ] {
        let (mut ours, mut theirs, mut start) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            ours.push(time_artty(&file, graphics));
            let args = ["-f", format, "-s", CHAFA_SIZE, "--animate", "off", path];
            theirs.push(run_chafa(&args).expect("chafa drew the fixture"));
            start.push(run_chafa(&["--version"]).expect("chafa --version"));
        }
        let (ours, theirs, start) = (median(ours), median(theirs), median(start));
        println!(
            "  {mode}: artty {:.1} ms in process, chafa {:.1} ms whole process \
             (of which {:.1} ms a bare start): ratio {:.2} (target ≤ 0.30)",
            ms(ours),
            ms(theirs),
            ms(start),
            ms(ours) / ms(theirs),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn time_artty(file: &Path, graphics: Graphics) -> Duration {
    let started = Instant::now();
    let bytes = std::fs::read(file).expect("read fixture");
    let prepared = Prepared::from_image_bytes(&bytes, BOX, graphics).expect("thumbnail");
    let elapsed = started.elapsed();
    drop(prepared);
    elapsed
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

criterion_group!(benches, thumbnails);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo bench -- NAME` filters criterion's benches; the anchor runs
    // only when nothing is filtered or the filter names it, once under
    // `cargo test` (which passes no `--bench`) so that it stays working.
    let benching = std::env::args().any(|arg| arg == "--bench");
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    if filter.is_none_or(|name| name.contains("chafa")) {
        against_chafa(if benching { 15 } else { 1 });
    }
}
