//! Time to turn a 2 MB `b64_json` answer into a saved image and sidecar
//! (parse, decode, check, atomic write with fsync).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "fixture.rs"]
mod fixture;

fn b64_answer_to_saved_file(c: &mut Criterion) {
    let body = fixture::answer_body();
    let dir = tempfile::tempdir().unwrap();
    let gallery = artty::store::gallery::Gallery::open(dir.path()).unwrap();
    let mut group = c.benchmark_group("b64_to_file");
    group.throughput(criterion::Throughput::Bytes(body.len() as u64));
    group.bench_function(format!("{:.1} MB answer", body.len() as f64 / 1e6), |b| {
        b.iter(|| fixture::save_answer(&body, &gallery))
    });
    group.finish();
}

criterion_group!(benches, b64_answer_to_saved_file);
criterion_main!(benches);
