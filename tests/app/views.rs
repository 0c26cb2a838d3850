//! Every panel in each state, drawn by the real views on ratatui's
//! TestBackend at 80×24 and 160×48 and compared with the accepted
//! snapshots in tests/app/snapshots (review changes with `cargo insta review`).
//! Models use fixed paths, dates and a UTC clock; elapsed times are
//! redacted.

use crate::app_common;

use app_common::*;
use artty::action::{Action, GalleryResult};
use artty::model::jobs::{JobState, Stage};
use artty::model::key_setup::KeyCheck;
use artty::model::picker::Picker;
use artty::model::{Level, Model, Overlay, Panel};
use crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Snapshots `build`'s model at both sizes.
fn snap(name: &str, build: impl Fn(&mut Model)) {
    for size in SIZES {
        let mut m = model(size);
        build(&mut m);
        let text = screen(&m);
        let mut settings = insta::Settings::clone_current();
        // Elapsed times beside a spinner depend on the clock.
        settings.add_filter(r"([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) +\d+(?:h\d\dm|m\d\ds|s)", "$1 [time]");
        settings.bind(|| {
            insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), text);
        });
    }
}

fn populate(m: &mut Model) {
    let prompts = [
        "a lighthouse on a cliff at dusk, oil painting",
        "isometric pixel-art workshop full of tiny robots",
        "a red fox in fresh snow, telephoto, morning light",
        "watercolour map of an imaginary archipelago",
    ];
    let images = prompts
        .iter()
        .enumerate()
        .map(|(i, p)| saved(p, 40 - i as i64 * 7))
        .collect();
    act(m, Action::Gallery(GalleryResult::Loaded(images)));
}

fn in_gallery(m: &mut Model) {
    m.focus = Panel::Gallery;
    m.editing = false;
    m.prompt.set_editing(false);
}

#[test]
fn empty() {
    snap("empty", |_| {});
}

#[test]
fn demo_with_a_gallery_being_read() {
    snap("demo_loading", |m| {
        m.session.demo = true;
        m.gallery.loaded = false;
    });
}

#[test]
fn typing() {
    snap("typing", |m| {
        type_text(
            m,
            "a lighthouse on a cliff at dusk,\noil painting, warm light",
        );
    });
}

#[test]
fn near_and_over_the_limit() {
    snap("near_limit", |m| {
        m.params.set_model("dall-e-2");
        m.prompt.paste(&"near ".repeat(190));
    });
    snap("over_limit", |m| {
        // Another server: the model's shutdown date does not apply there.
        m.session.is_openai = false;
        m.params.set_model("dall-e-2");
        m.prompt.paste(&"over ".repeat(220));
        press(m, ctrl('g'));
    });
}

#[test]
fn job_running() {
    snap("job_running", |m| {
        populate(m);
        type_text(m, "a red fox in fresh snow");
        job(
            m,
            "a red fox in fresh snow",
            12,
            running(Stage::Partial { received: 2 }),
        );
        job(
            m,
            "a second fox",
            75,
            running(Stage::Sending { attempt: 1 }),
        );
        m.spinner = 3;
    });
}

#[test]
fn job_failed() {
    snap("job_failed", |m| {
        populate(m);
        job(
            m,
            "a fox",
            3,
            failed(
                "Your organization must be verified to use this model (403). Verify it at https://platform.openai.com/settings/organization/general.",
            ),
        );
        in_gallery(m);
        m.set_status(
            Level::Error,
            "Your organization must be verified to use this model (403).",
        );
    });
}

#[test]
fn job_failed_details() {
    snap("job_failed_details", |m| {
        job(
            m,
            "a fox",
            3,
            failed("The server refused parameter `size` (HTTP 400): 1000x1000 is not allowed."),
        );
        in_gallery(m);
        press(m, key(KeyCode::Enter));
    });
}

#[test]
fn interrupted() {
    snap("interrupted", |m| {
        populate(m);
        job(
            m,
            "lost in a dropped SSH session",
            0,
            JobState::Interrupted {
                started: "2026-11-20 09:00".into(),
                sent: true,
                stopped_by: Some("SIGHUP".into()),
            },
        );
        in_gallery(m);
    });
}

#[test]
fn populated() {
    snap("populated", |m| {
        populate(m);
        in_gallery(m);
        m.gallery.selected = 1;
    });
}

#[test]
fn populated_details() {
    snap("populated_details", |m| {
        populate(m);
        in_gallery(m);
        m.overlay = Some(Overlay::Details { scroll: 0 });
    });
}

#[test]
fn params_focused() {
    snap("params", |m| {
        m.params.set_model("gpt-image-1-mini");
        press(m, key(KeyCode::Tab));
        press(m, key(KeyCode::Down));
    });
}

#[test]
fn params_custom_size() {
    snap("params_custom_size", |m| {
        press(m, key(KeyCode::Tab));
        press(m, key(KeyCode::Down));
        press(m, key(KeyCode::Enter));
        type_text(m, "4000x1000");
    });
}

#[test]
fn model_picker() {
    snap("model_picker", |m| {
        m.remote_models = vec!["gpt-image-2".into(), "flux-dev".into()];
        m.overlay = Some(Overlay::Picker(Picker::default()));
    });
}

#[test]
fn help_open() {
    snap("help", |m| {
        press(m, key(KeyCode::F(1)));
    });
}

#[test]
fn key_setup_with_error() {
    snap("key_setup_error", |m| {
        m.key_setup.active = None;
        m.overlay = Some(Overlay::KeySetup);
        act(m, Action::Paste("sk-proj-0123456789abcdefWXYZ".into()));
        m.key_setup.check = KeyCheck::Failed("The API key was refused (401). Check it and set a working one; keys are at https://platform.openai.com/api-keys.".into());
    });
}

#[test]
fn key_setup_working() {
    snap("key_setup_works", |m| {
        m.overlay = Some(Overlay::KeySetup);
        m.key_setup.active = Some(artty::model::key_setup::ActiveKey {
            masked: "sk-…WXYZ".into(),
            source: "the OPENAI_API_KEY environment variable".into(),
        });
        m.key_setup.check = KeyCheck::Works { image_models: 6 };
    });
}

#[test]
fn confirm_quit() {
    snap("confirm_quit", |m| {
        job(m, "slow", 30, running(Stage::Receiving));
        let failure = not_saved(kept_images("kept"), "disk full");
        job(m, "kept", 40, JobState::Failed(failure));
        in_gallery(m);
        press(m, key(KeyCode::Char('q')));
    });
}

#[test]
fn no_color_still_shows_focus_and_state() {
    snap("no_color", |m| {
        m.session.color = false;
        populate(m);
        job(m, "a fox", 3, failed("Rate limited: try again in 20 s."));
        in_gallery(m);
    });
}

#[test]
fn no_color_draws_no_colour_at_all() {
    use ratatui::style::Color;
    let mut m = model((160, 48));
    m.session.color = false;
    populate(&mut m);
    job(&mut m, "a fox", 3, failed("Rate limited."));
    job(&mut m, "a cat", 3, running(Stage::Receiving));
    m.overlay = Some(Overlay::KeySetup);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| artty::ui::render(&m, f)).unwrap();
    let coloured = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset)
        .count();
    assert_eq!(coloured, 0, "cells drawn in colour under NO_COLOR");
}
