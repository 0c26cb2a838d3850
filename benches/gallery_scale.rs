//! A 10,000-image gallery (scripts/fill-gallery's, made in a temp folder):
//! - reading it at start-up: the first page and the whole, through a fresh
//!   index, an index the folder has moved past, and no index;
//! - the app's first frame with the first page;
//! - a key typed in the search to the filtered grid drawn;
//! - a step down the grid to the frame drawn.
//!
//! Frames are drawn on ratatui's TestBackend at 160x48 with the thumbnail
//! grid laid out but no image bytes (thumbnails have their own benchmark).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use artty::action::{Action, GalleryResult};
use artty::images::graphics::TerminalImages;
use artty::model::Panel;
use artty::store::index::GalleryIndex;
use artty::store::sidecar::SavedImage;
use artty::store::{gallery::Gallery, scan::Loaded};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/gallery.rs"]
mod gallery;

#[path = "../tests/app/app_common/mod.rs"]
mod app_common;

const COUNT: usize = 10_000;
const PAGE: usize = 200;
const SIZE: (u16, u16) = (160, 48);

/// Sets the folder's time back, so a just-written index counts as written
/// well after the folder last changed.
fn set_folder_time(dir: &Path, time: SystemTime) {
    std::fs::File::open(dir)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn load(gallery: &Gallery, index: &GalleryIndex) -> Loaded {
    gallery.load_indexed(index, PAGE, |_, _| {}).unwrap()
}

fn loading(c: &mut Criterion, dir: &Path, cache: &Path) {
    let gallery = Gallery::at(dir).unwrap();
    let index = GalleryIndex::new(cache, dir);
    let mut group = c.benchmark_group("gallery_10k_load");
    group.sample_size(20);
    set_folder_time(dir, SystemTime::now() - Duration::from_secs(60));
    load(&gallery, &index);
    group.bench_function("first_page", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let mut at = None;
                gallery
                    .load_indexed(&index, PAGE, |_, _| at = Some(start.elapsed()))
                    .unwrap();
                total += at.unwrap();
            }
            total
        })
    });
    group.bench_function("whole_fresh_index", |b| {
        b.iter(|| black_box(load(&gallery, &index).images.len()))
    });
    group.bench_function("whole_folder_changed", |b| {
        b.iter(|| {
            set_folder_time(dir, SystemTime::now());
            black_box(load(&gallery, &index).images.len())
        })
    });
    group.bench_function("whole_no_index", |b| {
        b.iter(|| {
            let _ = std::fs::remove_file(index.path());
            black_box(load(&gallery, &index).images.len())
        })
    });
    group.finish();
}

fn app_model() -> artty::model::Model {
    let mut m = app_common::model(SIZE);
    m.session.images = TerminalImages::blocks();
    m.overlay = None;
    m
}

fn frames(c: &mut Criterion, images: Vec<SavedImage>) {
    let mut group = c.benchmark_group("gallery_10k_ui");
    let first: Vec<SavedImage> = images[..PAGE].to_vec();
    group.bench_function("first_frame_with_first_page", |b| {
        b.iter(|| {
            let mut m = app_model();
            m.gallery.loaded = false;
            artty::update::update(
                &mut m,
                Action::Gallery(GalleryResult::FirstPage {
                    images: first.clone(),
                    total: COUNT,
                }),
            );
            let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
            terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
        })
    });

    let mut m = app_model();
    artty::update::update(&mut m, Action::Gallery(GalleryResult::Loaded(images)));
    m.focus = Panel::Gallery;
    m.editing = false;
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let press = |m: &mut artty::model::Model, code: KeyCode| {
        if let Some(action) = artty::event::to_action(m, Event::Key(app_common::key(code))) {
            artty::update::update(m, action);
        }
    };
    let mut n = 0u64;
    group.bench_function("scroll_step_to_frame", |b| {
        b.iter(|| {
            n += 1;
            // Down the whole gallery, then back to the top.
            press(
                &mut m,
                if n.is_multiple_of(2000) {
                    KeyCode::Home
                } else {
                    KeyCode::Down
                },
            );
            terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
        })
    });
    press(&mut m, KeyCode::Char('/'));
    for c in "fox snow".chars() {
        press(&mut m, KeyCode::Char(c));
    }
    group.bench_function("search_key_to_filtered_frame", |b| {
        b.iter(|| {
            n += 1;
            // "fox snow" ↔ "fox sno": every key filters all 10,000 again.
            press(
                &mut m,
                if n.is_multiple_of(2) {
                    KeyCode::Char('w')
                } else {
                    KeyCode::Backspace
                },
            );
            terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
        })
    });
    group.finish();
}

fn scale(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    // Small pictures: only the sidecars matter here.
    gallery::fill(dir.path(), COUNT, 16).unwrap();
    loading(c, dir.path(), cache.path());
    let gallery = Gallery::at(dir.path()).unwrap();
    let index = GalleryIndex::new(cache.path(), dir.path());
    frames(c, load(&gallery, &index).images);
}

criterion_group!(benches, scale);
criterion_main!(benches);
