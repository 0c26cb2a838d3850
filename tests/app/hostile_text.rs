//! Text from servers, sidecars, file names and config files is shown inert
//! in every view: escape sequences (CSI, OSC, DCS), C0 and C1 controls and
//! bidirectional overrides never reach a cell of the rendered buffer, and
//! very long lines are cut, at every terminal size down to 20×10.

use crate::app_common;

use app_common::{act, job, key, model, press, saved};
use artty::action::{Action, FileResult, GalleryResult, KeyResult};
use artty::model::jobs::{JobFailure, JobState, Stage};
use artty::model::{Level, Model, Overlay, Panel};
use artty::store::sidecar::{SavedImage, SourceRef};
use crossterm::event::{Event, KeyCode};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::{TerminalOptions, Viewport};

/// Every kind of hostile text in one string: CSI (clear screen), OSC 52
/// (write the clipboard), DCS, an 8-bit CSI, C0 and C1 controls, bidi
/// overrides and isolates, and a very long tail.
fn hostile(tag: &str) -> String {
    format!(
        "{tag}\x1b[2J\x1b]52;c;QUFBQQ==\x07\x1bP+q544e\x1b\\\u{9b}31m\u{85}\x00\x08\r\u{202e}gnp.exe\u{2066}\u{200f}{}",
        "long ".repeat(2000)
    )
}

fn is_raw(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Draws the model and checks three ways that no hostile text got through:
/// no cell holds a raw control or bidi character; the bytes a real
/// terminal would receive hold no sequence but ratatui's own cursor moves
/// and colours; and each payload is shown in its escaped form. ratatui
/// drops control characters itself, so the last check is the one that
/// notices text handed to a widget without `inert` (shown mangled, the
/// payload's visible part without its escape).
fn assert_inert(m: &Model, view: &str, pasted: bool) -> String {
    let (width, height) = m.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| artty::ui::render(m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    for (i, cell) in buffer.content().iter().enumerate() {
        let symbol = cell.symbol();
        assert!(
            !symbol.chars().any(is_raw),
            "{view} at {width}x{height}: raw {symbol:?} at cell ({}, {})",
            i as u16 % width,
            i as u16 / width
        );
    }
    let text = terminal.backend().to_string();
    // Pasted text has lost its control characters on the way in, so its
    // payloads legitimately show without an escape.
    for (row, line) in text.lines().enumerate().filter(|_| !pasted) {
        for marker in ["[2J", "]52;c;", "P+q544e", "gnp.exe"] {
            for (at, _) in line.match_indices(marker) {
                // Escaped, the payload follows `\u{1b}`'s brace; stripped by
                // ratatui, it follows the text before it (a letter, `=`,
                // `m`). A border or a space means an overlay or a wrap cut in.
                let before = line[..at].chars().next_back().unwrap_or(' ');
                assert!(
                    before == '}' || !before.is_ascii_graphic(),
                    "{view} at {width}x{height}: {marker:?} shown without its escape in row {row}: {line}"
                );
            }
        }
    }
    assert_terminal_bytes_clean(m, view);
    text
}

/// Collects what the backend writes.
#[derive(Clone, Default)]
struct Sent(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Sent {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes a terminal receives for one frame.
fn assert_terminal_bytes_clean(m: &Model, view: &str) {
    let (width, height) = m.size;
    let sent = Sent::default();
    let backend = CrosstermBackend::new(sent.clone());
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    terminal.draw(|frame| artty::ui::render(m, frame)).unwrap();
    drop(terminal);
    let bytes = sent.0.borrow().clone();
    let text = String::from_utf8_lossy(&bytes);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Only CSI (cursor moves, colours, cursor shown or hidden) may be sent.
            assert_eq!(
                chars.peek(),
                Some(&'['),
                "{view}: a non-CSI escape was sent"
            );
            chars.next();
            let body: String = chars
                .by_ref()
                .take_while(|c| !('\x40'..='\x7e').contains(c))
                .collect();
            assert!(
                body.chars()
                    .all(|c| c.is_ascii_digit() || c == ';' || c == '?' || c == ':'),
                "{view}: odd CSI body {body:?}"
            );
        } else {
            assert!(!is_raw(c), "{view}: raw {c:?} sent to the terminal");
        }
    }
}

fn hostile_image(tag: &str, minutes: i64) -> SavedImage {
    let mut image = saved(&hostile(tag), minutes);
    let name = format!("{}.png", hostile(&format!("file-{tag}")));
    image.path = image.path.with_file_name(&name);
    image.sidecar.image = name;
    image.sidecar.model = hostile("model");
    image.sidecar.params.model = hostile("model");
    image.sidecar.revised_prompt = Some(hostile("revised"));
    image.sidecar.request_id = Some(hostile("req"));
    image.sidecar.server = hostile("server");
    image.sidecar.params.size = Some(hostile("size"));
    image.sidecar.params.quality = Some(hostile("quality"));
    image.sidecar.response.output_format = Some(hostile("format"));
    image
}

/// A model full of hostile text: the gallery, jobs, the status line, the
/// key setup note, the model name typed in the parameters.
fn hostile_model(size: (u16, u16)) -> Model {
    let mut m = model(size);
    let first = hostile_image("first", 30);
    let mut edit = hostile_image("edit", 40);
    edit.sidecar.endpoint = artty::api::Endpoint::Edits;
    edit.sidecar.sources = vec![SourceRef {
        path: first.path.display().to_string(),
        format: hostile("fmt"),
        width: 10,
        height: 10,
    }];
    edit.sidecar.reused_from = Some(hostile("reused"));
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(vec![edit, first])),
    );
    job(
        &mut m,
        &hostile("running"),
        3,
        JobState::Running(Stage::Retrying {
            attempt: 2,
            reason: hostile("reason"),
        }),
    );
    job(
        &mut m,
        &hostile("failed"),
        9,
        JobState::Failed(JobFailure {
            headline: hostile("headline"),
            detail: hostile("detail"),
            may_be_billed: true,
            kind: "server_error",
            kept: None,
        }),
    );
    m.set_status(Level::Error, hostile("status"));
    m.key_setup.note = Some(hostile("note"));
    m.params.values.model = hostile("typed-model");
    m
}

const SIZES: [(u16, u16); 3] = [(80, 24), (160, 48), (20, 10)];

fn in_gallery(m: &mut Model) {
    m.focus = Panel::Gallery;
    m.editing = false;
    m.prompt.set_editing(false);
}

#[test]
fn every_view_shows_hostile_text_inert() {
    type Step = fn(&mut Model);
    let views: [(&str, &str, Step); 15] = [
        ("main screen", "None", |_| {}),
        ("image details", "Details", |m| {
            // Jobs are listed first, then the images.
            in_gallery(m);
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Enter));
        }),
        ("failed job details", "Details", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Enter));
        }),
        ("compare", "Compare", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Char(' ')));
            press(m, key(KeyCode::Char(' ')));
            press(m, key(KeyCode::Char('c')));
        }),
        ("family", "Family", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Char('t')));
        }),
        ("search pasted", "None", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Char('/')));
            // Pasted text keeps no control characters; typed text cannot hold any.
            let pasted = artty::event::to_action(m, Event::Paste(hostile("search")));
            if let Some(action) = pasted {
                artty::update::update(m, action);
            }
        }),
        ("help", "Help", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Char('?')));
        }),
        ("key setup", "KeySetup", |m| {
            m.overlay = Some(Overlay::KeySetup);
            act(
                m,
                Action::Key(KeyResult::Checked(Ok(artty::action::KeyReport {
                    image_models: vec![hostile("gpt-image-server")],
                }))),
            );
        }),
        ("model picker", "Picker", |m| {
            act(
                m,
                Action::Key(KeyResult::ModelsListed(vec![hostile("gpt-image-listed")])),
            );
            m.focus = Panel::Params;
            m.editing = false;
            m.prompt.set_editing(false);
            press(m, key(KeyCode::Enter));
        }),
        ("parameters", "None", |m| {
            m.focus = Panel::Params;
            m.editing = false;
            m.prompt.set_editing(false);
        }),
        ("export path", "PathField", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Down));
            press(m, key(KeyCode::Char('E')));
            act(
                m,
                Action::File(FileResult::PathCompleted {
                    text: format!("/tmp/{}", hostile("dir")),
                    completions: vec![hostile("choice")],
                }),
            );
        }),
        ("prompt pasted", "None", |m| {
            let pasted = artty::event::to_action(m, Event::Paste(hostile("pasted")));
            if let Some(action) = pasted {
                artty::update::update(m, action);
            }
        }),
        ("confirm quit", "ConfirmQuit", |m| {
            m.overlay = Some(Overlay::ConfirmQuit);
        }),
        ("batches", "Batches", |m| {
            in_gallery(m);
            press(m, key(KeyCode::Char('b')));
            // The batch's id and status words come from the server.
            let row = artty::model::batches::BatchRow {
                id: hostile("sub"),
                name: hostile("batch"),
                source: hostile("source"),
                status: Some(artty::api::batch_wire::BatchStatus::Other(hostile(
                    "status",
                ))),
                counts: Default::default(),
                requests: 3,
                estimate_usd: Some(f64::NAN),
                created: jiff::Timestamp::UNIX_EPOCH,
                fetched: None,
                retried: false,
            };
            act(
                m,
                Action::Batches(artty::action::BatchesResult::Listed {
                    rows: vec![row],
                    read_at: jiff::Timestamp::now(),
                    asked: true,
                    problem: Some(hostile("problem")),
                }),
            );
            press(m, key(KeyCode::Char('f')));
            act(
                m,
                Action::Batches(artty::action::BatchesResult::Fetched {
                    id: hostile("sub"),
                    result: Err(hostile("fetch")),
                }),
            );
        }),
        ("batch choice", "BatchChoice", |m| {
            in_gallery(m);
            let path = std::path::PathBuf::from(format!("/tmp/{}", hostile("batchfile")));
            act(
                m,
                Action::File(FileResult::BatchRead {
                    id: artty::batch::batch_id(&path),
                    path,
                    result: Ok(format!("{}\n", hostile("line"))),
                    waiting: Default::default(),
                    step: artty::model::batches::BatchStep::Choose,
                }),
            );
        }),
    ];
    let mut escaped_seen = false;
    for size in SIZES {
        for (name, overlay, open) in &views {
            let mut m = hostile_model(size);
            open(&mut m);
            let shown = m
                .overlay
                .as_ref()
                .map_or("None".to_string(), |o| format!("{o:?}"));
            assert!(shown.starts_with(overlay), "{name} opened {shown}");
            // Scrolled to the end, so every line of a long view is drawn once.
            let pasted = name.contains("paste");
            let mut text = assert_inert(&m, name, pasted);
            for _ in 0..400 {
                escaped_seen |= text.contains("\\u{1b}[2J");
                press(&mut m, key(KeyCode::PageDown));
                let next = assert_inert(&m, name, pasted);
                if next == text {
                    break;
                }
                text = next;
            }
        }
    }
    // The text is shown, made visible, not silently dropped.
    assert!(escaped_seen, "no view showed the escaped sequence");
}
