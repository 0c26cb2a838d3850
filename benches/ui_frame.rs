//! Frame costs of the interactive app, in-process: the first frame of an
//! empty app, and a key press (through keymap and update) to a drawn frame
//! while 4 jobs stream partial images into a 200-image gallery. Drawing is
//! on ratatui's TestBackend, so this is the app's own work plus ratatui's
//! buffer diff; scripts/keypress-latency.sh measures the real binary.

use std::time::Duration;

use artty::action::Action;
use artty::model::jobs::{JobId, Stage};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/app_common/mod.rs"]
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
                    Action::JobStageChanged {
                        id: ids[n as usize % 4],
                        stage,
                    },
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

criterion_group!(benches, first_frame, keypress_while_streaming);
criterion_main!(benches);
