//! A model at a fixed moment, with no terminal and no disk: the base of the
//! flow tests, the view snapshots and the UI benchmarks.
#![allow(dead_code)]

pub mod painting;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use artty::action::Action;
use artty::api::{Catalog, Endpoint, ImageParams};
use artty::effect::Effect;
use artty::images::graphics::{Graphics, TerminalImages};
use artty::images::probe::{ImageFormat, ImageInfo};
use artty::keymap::Keymap;
use artty::model::jobs::{Job, JobFailure, JobId, JobState, Stage, Unsaved};
use artty::model::key_setup::ActiveKey;
use artty::model::params::Params;
use artty::model::prompt::Prompt;
use artty::model::{Model, Session};
use artty::store::sidecar::{SavedImage, Sidecar};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const RUN_TAG: &str = "20261121-120000-4242";

pub fn session() -> Session {
    Session {
        demo: false,
        server: "https://api.openai.com/v1".into(),
        is_openai: true,
        today: jiff::civil::date(2026, 11, 21),
        run_tag: RUN_TAG.into(),
        has_display: false,
        color: true,
        catalog: std::sync::Arc::new(Catalog::builtin()),
        time_zone: jiff::tz::TimeZone::UTC,
        images: TerminalImages {
            graphics: Graphics::None,
            ..TerminalImages::blocks()
        },
        home: std::env::var_os("HOME").map(std::path::PathBuf::from),
        working_dir: std::env::current_dir().expect("a working folder"),
    }
}

/// A model with a key, an empty loaded gallery, at `size`.
pub fn model(size: (u16, u16)) -> Model {
    model_with_keys(size, Keymap::default())
}

/// `model`, with `keymap` in effect from the start.
pub fn model_with_keys(size: (u16, u16), keymap: Keymap) -> Model {
    let mut model = Model::new(
        session(),
        keymap,
        Prompt::new(Vec::new()),
        Params::new("gpt-image-2".into(), BTreeMap::new()),
    );
    model.key_setup.active = Some(ActiveKey {
        masked: "sk-…WXYZ".into(),
        source: "the OPENAI_API_KEY environment variable".into(),
    });
    model.size = size;
    model.gallery.loaded = true;
    model
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn alt(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::ALT)
}

/// A key press as the app handles it: through the keymap, then `update`.
pub fn press(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match artty::event::to_action(model, Event::Key(key)) {
        Some(action) => artty::update::update(model, action),
        None => Vec::new(),
    }
}

pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        press(model, key(code));
    }
}

pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    artty::update::update(model, action)
}

pub fn params(prompt: &str) -> ImageParams {
    ImageParams {
        prompt: Some(prompt.into()),
        ..ImageParams::new("gpt-image-2")
    }
}

/// A saved image as the gallery would list it, `minutes` after noon.
pub fn saved(prompt: &str, minutes: i64) -> SavedImage {
    let created = jiff::Timestamp::from_second(1_795_780_800 + minutes * 60).unwrap();
    let name = format!("img-{minutes:03}");
    let dir = PathBuf::from("/home/user/.local/share/artty/gallery");
    SavedImage {
        path: dir.join(format!("{name}.png")),
        sidecar_path: dir.join(format!("{name}.json")),
        sidecar: Sidecar {
            request_id: Some(format!("req_{minutes:04}")),
            ..Sidecar::new(
                format!("{name}.png"),
                created,
                Endpoint::Generations,
                ImageParams {
                    size: Some("1536x1024".into()),
                    quality: Some("high".into()),
                    ..params(prompt)
                },
                "https://api.openai.com/v1",
                &ImageInfo {
                    format: ImageFormat::Png,
                    width: 1536,
                    height: 1024,
                    has_alpha: false,
                    animation: None,
                },
                2_345_678,
            )
        },
    }
}

/// A job in `state`, started `secs` before the model's now.
pub fn job(model: &mut Model, prompt: &str, secs: u64, state: JobState) -> JobId {
    let id = model.jobs.next_id();
    model.jobs.add(Job {
        id,
        endpoint: Endpoint::Generations,
        params: params(prompt),
        started: model.now - Duration::from_secs(secs),
        journal: format!("{RUN_TAG}-{:04}", id.0),
        state,
        partial: None,
        inputs: None,
    });
    id
}

pub fn running(stage: Stage) -> JobState {
    JobState::Running(stage)
}

pub fn failed(headline: &str) -> JobState {
    JobState::Failed(JobFailure {
        headline: headline.into(),
        detail: format!("{headline}\nHTTP 400 code=- param=size"),
        may_be_billed: false,
        kind: "invalid_parameter",
        kept: None,
    })
}

/// Images that arrived but could not be saved, kept in memory.
pub fn kept_images(prompt: &str) -> std::sync::Arc<Unsaved> {
    std::sync::Arc::new(Unsaved {
        generation: artty::api::Generation {
            images: Vec::new(),
            meta: Default::default(),
            request_id: None,
            warning: None,
        },
        record: artty::store::sidecar::RequestRecord::new(
            Endpoint::Generations,
            params(prompt),
            "loopback",
            None,
        ),
    })
}

/// A failed save with its images kept.
pub fn not_saved(kept: std::sync::Arc<Unsaved>, why: &str) -> JobFailure {
    JobFailure {
        headline: format!("The images arrived but could not be saved: {why}"),
        detail: why.into(),
        may_be_billed: true,
        kind: "save",
        kept: Some(kept),
    }
}

/// The prompts of the jobs `effects` start, in order.
pub fn started_prompts(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartJob { request, .. } => request.request().params.prompt.clone(),
            _ => None,
        })
        .collect()
}

/// The screen as text, drawn by the real views on a test terminal.
pub fn screen(model: &Model) -> String {
    let (width, height) = model.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| artty::ui::render(model, frame))
        .unwrap();
    terminal.backend().to_string()
}
