//! Fills a gallery folder with N synthetic images and their sidecars, for
//! benchmarks and for trying a large gallery by hand:
//!
//!     cargo run --release --example fill_gallery -- DIR [COUNT] [EDGE]
//!
//! Images are EDGE×EDGE PNGs (default 256), spread over the last year,
//! across every model, with favourites, edits of earlier images, reuse
//! chains, sweeps and batches, and costs, as a year of use would leave.
//! The same COUNT always gives the same gallery.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/common/gallery.rs"]
mod gallery;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: fill_gallery DIR [COUNT] [EDGE]");
        std::process::exit(2);
    };
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let edge: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(256);
    if let Err(e) = gallery::fill(&dir, count, edge) {
        eprintln!("fill_gallery: {e}");
        std::process::exit(1);
    }
    println!("{count} images in {}", dir.display());
}
