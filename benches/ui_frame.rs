//! Frame costs of the interactive app, in-process: the first frame of an
//! empty app, and a key press (through keymap and update) to a drawn frame
//! while 4 jobs stream partial images into a 200-image gallery. Drawing is
//! on ratatui's TestBackend, so this is the app's own work plus ratatui's
//! buffer diff; scripts/keypress-latency.sh measures the real binary. A
//! painter stroke (move and paint) to a drawn frame is measured too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use artty::action::{Action, FileResult, GalleryResult, JobResult};
use artty::model::jobs::{JobId, Stage};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/app/app_common/mod.rs"]
mod app_common;

use app_common::{job, key, model, running, saved};

fn first_frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("first_frame_empty");
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        group.bench_function(format!("{w}x{h}"), |b| {
            b.iter(|| {
                let m = model((w, h));
                let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
                terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
            })
        });
    }
    group.finish();
}

fn keypress_while_streaming(c: &mut Criterion) {
    let mut group = c.benchmark_group("keypress_to_frame");
    group.measurement_time(Duration::from_secs(5));
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut m = model((w, h));
        m.gallery.images = (0..200)
            .map(|i| saved(&format!("prompt number {i}"), 300 - i))
            .collect();
        let ids: Vec<JobId> = (0..4)
            .map(|i| {
                job(
                    &mut m,
                    &format!("streaming job {i}"),
                    5,
                    running(Stage::Partial { received: 1 }),
                )
            })
            .collect();
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut n = 0u32;
        group.bench_function(format!("4 streaming jobs, {w}x{h}"), |b| {
            b.iter(|| {
                n = n.wrapping_add(1);
                // A stage report from one of the jobs, then the key press.
                let stage = Stage::Partial {
                    received: n % 3 + 1,
                };
                artty::update::update(
                    &mut m,
                    Action::Job(JobResult::StageChanged {
                        id: ids[n as usize % 4],
                        stage,
                    }),
                );
                if let Some(action) =
                    artty::event::to_action(&m, Event::Key(key(KeyCode::Char('a'))))
                {
                    artty::update::update(&mut m, action);
                }
                terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
            })
        });
    }
    group.finish();
}

/// A model with the mask painter open over a 1024² image drawn in half
/// blocks, as after `e` and `m` on a gallery image.
fn painter_model(w: u16, h: u16) -> artty::model::Model {
    use std::sync::Arc;
    let mut m = model((w, h));
    m.session.images = artty::images::graphics::TerminalImages::blocks();
    m.gallery.images = vec![saved("a fox", 1)];
    m.focus = artty::model::Panel::Gallery;
    m.editing = false;
    artty::update::update(&mut m, Action::Run(artty::keymap::Command::EditImage));
    let png = {
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(image::RgbaImage::new(1024, 1024))
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        bytes::Bytes::from(out)
    };
    let fitted = artty::edit::fit::Fitted {
        image: artty::api::InputImage::from_bytes("fox.png", png).unwrap(),
        steps: Vec::new(),
        changes: Vec::new(),
        original: (1024, 1024),
        original_format: "png".into(),
    };
    let version = m.edit.as_ref().unwrap().version;
    let prepared = artty::edit::PreparedEdit {
        images: vec![fitted],
        mask: None,
        markup: None,
    };
    artty::update::update(
        &mut m,
        Action::File(FileResult::EditPrepared {
            version,
            result: Ok(Arc::new(prepared)),
        }),
    );
    artty::update::update(&mut m, Action::Run(artty::keymap::Command::PaintMask));
    let key = artty::layout::painter::picture_key(&m).unwrap();
    let rgba = (0..256 * 256)
        .flat_map(|i: u32| [(i % 256) as u8, (i / 256) as u8, 90, 255])
        .collect();
    let thumb = artty::images::thumbnail::Thumbnail::from_rgba(256, 256, rgba, key.size).unwrap();
    let ready = artty::images::prepared::Prepared::still(thumb, Vec::new());
    artty::update::update(
        &mut m,
        Action::Gallery(GalleryResult::ThumbnailMade {
            key,
            result: Ok(Arc::new(ready)),
        }),
    );
    m
}

/// A painter stroke: move the cursor and paint, through keymap and
/// update, then draw.
fn painter_stroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("painter_stroke_to_frame");
    group.measurement_time(Duration::from_secs(5));
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut m = painter_model(w, h);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut n = 0u32;
        group.bench_function(format!("{w}x{h}"), |b| {
            b.iter(|| {
                n = n.wrapping_add(1);
                let step = if n % 40 < 20 { 'l' } else { 'h' };
                for c in [step, ' '] {
                    if let Some(action) =
                        artty::event::to_action(&m, Event::Key(key(KeyCode::Char(c))))
                    {
                        artty::update::update(&mut m, action);
                    }
                }
                terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    first_frame,
    keypress_while_streaming,
    painter_stroke
);
criterion_main!(benches);
