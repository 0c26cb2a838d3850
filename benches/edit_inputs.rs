//! Preparing an edit's inputs, which the edit panel redoes whenever the
//! sources, the fitting or the mask change: exporting a painted mask at
//! the source's size (with and without feathering), and fitting a
//! photo-like 1536x1024 PNG square for dall-e-2 and a 4096x2730 one down
//! to a 2048 longest edge.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/photo.rs"]
mod photo;

use artty::api::Catalog;
use artty::edit::fit::fit_source;
use artty::edit::{FitOptions, MaskGrid, mask_png};
use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};

fn painted() -> MaskGrid {
    let mut grid = MaskGrid::new(80, 40);
    grid.rect((10, 5), (50, 30), true);
    grid
}

fn edit_inputs(c: &mut Criterion) {
    let mut group = c.benchmark_group("edit_inputs");
    group.sample_size(10);
    let grid = painted();
    for (w, h) in [(1024, 1024), (1536, 1024)] {
        for feather in [0, 8] {
            group.bench_function(format!("mask_{w}x{h}_feather{feather}"), |b| {
                b.iter(|| mask_png::export(&grid, w, h, feather).expect("mask"))
            });
        }
    }
    let catalog = Catalog::builtin();
    let dalle = catalog
        .get("dall-e-2")
        .and_then(|m| m.edit.clone())
        .expect("rules");
    let gpt = catalog
        .get("gpt-image-2")
        .and_then(|m| m.edit.clone())
        .expect("rules");
    let wide = Bytes::from(photo::photo_png(1536, 1024, 3));
    group.bench_function("fit_1536x1024_square_pad_dalle2", |b| {
        b.iter(|| fit_source("wide.png", wide.clone(), &dalle, FitOptions::default()).expect("fit"))
    });
    let big = Bytes::from(photo::photo_png(4096, 2730, 4));
    let down = FitOptions {
        longest_edge: Some(2048),
        ..FitOptions::default()
    };
    group.bench_function("fit_4096x2730_to_2048", |b| {
        b.iter(|| fit_source("big.png", big.clone(), &gpt, down).expect("fit"))
    });
    group.finish();
}

criterion_group!(benches, edit_inputs);
criterion_main!(benches);
