//! The Batch API in the app, through the keymap and `update`: `B` asks
//! how to run a batch file with the price of each way, the Batches view
//! lists what was submitted (its timer runs only while it is open), fetches
//! and cancels; with snapshots of both at 80×24 and 160×48.

use crate::app_common;

use app_common::*;
use artty::action::{Action, BatchesResult, FetchReport, FileResult, Submitted};
use artty::api::batch_wire::{BatchStatus, RequestCounts};
use artty::effect::Effect;
use artty::model::batches::{BatchRow, BatchStep};
use artty::model::{Level, Model, Overlay, Panel};
use crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];
const FILE: &str = "/tmp/artty-test-catalogue.jsonl";

fn in_gallery(m: &mut Model) {
    m.focus = Panel::Gallery;
    m.editing = false;
    m.prompt.set_editing(false);
}

fn text() -> String {
    [
        r#"{"prompt": "a red teapot", "quality": "low", "size": "1024x1024"}"#,
        r#"{"prompt": "a blue teapot", "quality": "low", "size": "1024x1024"}"#,
        r#"{"prompt": "a green teapot", "quality": "low", "size": "1024x1024"}"#,
        r#"{"prompt": "the teapot, in gold", "images": ["teapot.png"], "quality": "low", "size": "1024x1024"}"#,
    ]
    .join("\n")
}

fn read(m: &mut Model, step: BatchStep, waiting: &[&str]) -> Vec<Effect> {
    let path = std::path::PathBuf::from(FILE);
    let id = artty::batch::batch_id(&path);
    let file = artty::batch::parse(id.clone(), &text(), &m.params.values);
    let waiting = waiting
        .iter()
        .map(|prompt| {
            let line = file
                .lines
                .iter()
                .find(|l| l.params.prompt.as_deref() == Some(*prompt))
                .unwrap();
            line.key.clone()
        })
        .collect();
    act(
        m,
        Action::File(FileResult::BatchRead {
            path,
            id,
            result: Ok(text()),
            waiting,
            step,
        }),
    )
}

/// `B`, the path, Enter: the file is read to ask how to run it.
fn ask(m: &mut Model) {
    in_gallery(m);
    press(m, key(KeyCode::Char('B')));
    press(m, ctrl('u'));
    type_text(m, FILE);
    let effects = press(m, key(KeyCode::Enter));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::ReadBatch { step: BatchStep::Choose, path } if path.to_str() == Some(FILE)
        )),
        "{effects:?}"
    );
    assert!(read(m, BatchStep::Choose, &["a green teapot"]).is_empty());
}

#[test]
fn b_asks_here_or_batch_api_with_the_price_of_each() {
    let mut m = model((160, 48));
    ask(&mut m);
    let Some(Overlay::BatchChoice(choice)) = &m.overlay else {
        panic!("{:?}", m.overlay)
    };
    // The green teapot waits in a batch already: not offered again.
    assert_eq!((choice.lines, choice.skipped, choice.edits), (3, 1, 1));
    let here = choice.here.unwrap();
    let batch = choice.batch_api.unwrap();
    assert!(here.high > 0.0);
    // gpt-image-2's Batch API price is half its price, as the model table says.
    assert!(
        (batch.high - here.high / 2.0).abs() < 1e-9,
        "{here:?} {batch:?}"
    );
    let shown = screen(&m);
    assert!(shown.contains("run here, now"), "{shown}");
    assert!(shown.contains("submit to the Batch API"), "{shown}");
    assert!(
        shown.contains(&artty::model::costs::estimate_text(&batch)),
        "{shown}"
    );
}

#[test]
fn run_here_reads_the_file_again_and_sends_what_is_not_waiting() {
    let mut m = model((160, 48));
    ask(&mut m);
    let effects = press(&mut m, key(KeyCode::Char('h')));
    assert!(m.overlay.is_none());
    assert!(matches!(
        effects.as_slice(),
        [Effect::ReadBatch {
            step: BatchStep::RunHere,
            ..
        }]
    ));
    let effects = read(&mut m, BatchStep::RunHere, &["a green teapot"]);
    let sent = started_prompts(&effects);
    assert_eq!(sent, ["a red teapot", "a blue teapot"]);
    let said = &m.status.as_ref().unwrap().text;
    assert!(said.contains("1 already done or waiting"), "{said}");
    assert!(said.contains("line 4: an edit line runs with"), "{said}");
}

#[test]
fn submit_sends_the_file_with_the_parameters_as_they_stand() {
    let mut m = model((160, 48));
    ask(&mut m);
    let effects = press(&mut m, key(KeyCode::Char('a')));
    assert!(m.overlay.is_none());
    let [Effect::SubmitBatch { path, defaults }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(path.to_str(), Some(FILE));
    assert_eq!(defaults.model, "gpt-image-2");
    assert_eq!(defaults.prompt, None);
    // What the runner reports comes to the status line.
    act(
        &mut m,
        Action::Batches(BatchesResult::Submitted {
            shown: FILE.into(),
            result: Ok(Submitted {
                batches: 2,
                requests: 3,
                estimate: Some(artty::api::cost::Estimate::exact(0.03)),
                skipped: 1,
                invalid: Vec::new(),
            }),
        }),
    );
    let said = &m.status.as_ref().unwrap().text;
    assert!(
        said.contains("Submitted 3 request(s) in 2 batch(es)") && said.contains("b in the gallery"),
        "{said}"
    );
    act(
        &mut m,
        Action::Batches(BatchesResult::Submitted {
            shown: FILE.into(),
            result: Ok(Submitted {
                batches: 0,
                requests: 0,
                estimate: None,
                skipped: 0,
                invalid: vec![(4, "teapot.png: no such file".into())],
            }),
        }),
    );
    let status = m.status.as_ref().unwrap();
    assert_eq!(status.level, Level::Warning);
    assert!(
        status.text.contains("nothing was uploaded") && status.text.contains("line 4: teapot.png"),
        "{}",
        status.text
    );
}

#[test]
fn a_file_with_nothing_left_asks_nothing() {
    let mut m = model((160, 48));
    in_gallery(&mut m);
    read(
        &mut m,
        BatchStep::Choose,
        &[
            "a red teapot",
            "a blue teapot",
            "a green teapot",
            "the teapot, in gold",
        ],
    );
    assert!(m.overlay.is_none());
    assert!(m.status.as_ref().unwrap().text.contains("nothing to run"));
}

fn row(id: &str, status: Option<BatchStatus>, done: u64, failed: u64, minutes: i64) -> BatchRow {
    BatchRow {
        id: format!("sub-{id}"),
        name: format!("batch_{id}"),
        source: "catalogue.jsonl".into(),
        status,
        counts: RequestCounts {
            total: 40,
            completed: done,
            failed,
        },
        requests: 40,
        estimate_usd: Some(0.22),
        created: read_at() - jiff::SignedDuration::from_mins(minutes),
        fetched: None,
        retried: false,
    }
}

fn read_at() -> jiff::Timestamp {
    "2026-11-21T12:00:00Z".parse().unwrap()
}

fn rows() -> Vec<BatchRow> {
    let mut fetched = row("fetched", Some(BatchStatus::Completed), 40, 0, 60 * 26);
    fetched.fetched = Some((38, 2));
    vec![
        row("running", Some(BatchStatus::InProgress), 12, 1, 7),
        row("done", Some(BatchStatus::Completed), 40, 0, 95),
        row("expired", Some(BatchStatus::Expired), 30, 0, 60 * 25),
        fetched,
    ]
}

fn listed(m: &mut Model, asked: bool) {
    act(
        m,
        Action::Batches(BatchesResult::Listed {
            rows: rows(),
            read_at: read_at(),
            asked,
            problem: None,
        }),
    );
}

fn batches_open(m: &mut Model) {
    in_gallery(m);
    press(m, key(KeyCode::Char('b')));
    listed(m, true);
}

#[test]
fn the_batches_view_asks_on_a_timer_only_while_it_is_open() {
    let mut m = model((160, 48));
    in_gallery(&mut m);
    let effects = press(&mut m, key(KeyCode::Char('b')));
    assert!(matches!(m.overlay, Some(Overlay::Batches)));
    assert!(
        matches!(effects.as_slice(), [Effect::WatchBatches(true)]),
        "{effects:?}"
    );
    assert!(m.batches.asking);
    listed(&mut m, false);
    assert!(
        m.batches.asking,
        "the journal's rows come first, then the server's"
    );
    listed(&mut m, true);
    assert!(!m.batches.asking);
    // Moving about asks nothing more.
    assert!(press(&mut m, key(KeyCode::Down)).is_empty());
    // `r` asks now; closing stops the timer, however it closes.
    assert!(matches!(
        press(&mut m, key(KeyCode::Char('r'))).as_slice(),
        [Effect::WatchBatches(true)]
    ));
    let effects = press(&mut m, key(KeyCode::Esc));
    assert!(m.overlay.is_none());
    assert!(
        matches!(effects.as_slice(), [Effect::WatchBatches(false)]),
        "{effects:?}"
    );
    press(&mut m, key(KeyCode::Char('b')));
    let effects = press(&mut m, key(KeyCode::Char('q')));
    assert!(
        matches!(effects.as_slice(), [Effect::WatchBatches(false)]),
        "{effects:?}"
    );
    // A listing that arrives after it closed only updates the rows.
    assert!(
        act(
            &mut m,
            Action::Batches(BatchesResult::Listed {
                rows: rows(),
                read_at: read_at(),
                asked: true,
                problem: None
            })
        )
        .is_empty()
    );
}

#[test]
fn f_fetches_the_selected_batch_and_the_gallery_is_read_again() {
    let mut m = model((160, 48));
    batches_open(&mut m);
    press(&mut m, key(KeyCode::Down));
    let effects = press(&mut m, key(KeyCode::Char('f')));
    assert!(
        matches!(effects.as_slice(), [Effect::FetchBatch(id)] if id == "sub-done"),
        "{effects:?}"
    );
    // Pressed again while it works: nothing twice.
    assert!(press(&mut m, key(KeyCode::Char('f'))).is_empty());
    let effects = act(
        &mut m,
        Action::Batches(BatchesResult::Fetched {
            id: "sub-done".into(),
            result: Ok(FetchReport {
                running: None,
                images_saved: 39,
                lines_saved: 39,
                lines_failed: 1,
                warnings: Vec::new(),
            }),
        }),
    );
    assert!(
        matches!(effects.as_slice(), [Effect::LoadGallery]),
        "{effects:?}"
    );
    let said = &m.status.as_ref().unwrap().text;
    assert!(
        said.contains("39 line(s) saved") && said.contains("R sends them again"),
        "{said}"
    );
    // A fetched batch says what it gave instead of fetching again.
    press(&mut m, key(KeyCode::End));
    for _ in 0..3 {
        press(&mut m, key(KeyCode::Down));
    }
    assert!(press(&mut m, key(KeyCode::Char('f'))).is_empty());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("was fetched: 38 line(s) saved, 2 made no image")
    );
    // One still running says so; nothing is read.
    let effects = act(
        &mut m,
        Action::Batches(BatchesResult::Fetched {
            id: "sub-running".into(),
            result: Ok(FetchReport {
                running: Some("in_progress".into()),
                images_saved: 0,
                lines_saved: 0,
                lines_failed: 0,
                warnings: Vec::new(),
            }),
        }),
    );
    assert!(effects.is_empty());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("batch_running is still in_progress")
    );
}

#[test]
fn x_cancels_a_running_batch_only_when_pressed_twice() {
    let mut m = model((160, 48));
    batches_open(&mut m);
    assert!(press(&mut m, key(KeyCode::Char('x'))).is_empty());
    assert_eq!(m.status.as_ref().unwrap().level, Level::Warning);
    // Anything between disarms it.
    press(&mut m, key(KeyCode::Up));
    assert!(press(&mut m, key(KeyCode::Char('x'))).is_empty());
    let effects = press(&mut m, key(KeyCode::Char('x')));
    assert!(
        matches!(effects.as_slice(), [Effect::CancelBatch(id)] if id == "sub-running"),
        "{effects:?}"
    );
    // A finished batch has nothing to cancel.
    press(&mut m, key(KeyCode::Down));
    press(&mut m, key(KeyCode::Char('x')));
    assert!(press(&mut m, key(KeyCode::Char('x'))).is_empty());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("nothing to cancel")
    );
}

#[test]
fn shift_r_sends_a_fetched_batchs_failed_lines_again() {
    let mut m = model((160, 48));
    batches_open(&mut m);
    // Running: not fetched yet, nothing sent.
    assert!(press(&mut m, key(KeyCode::Char('R'))).is_empty());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("not fetched yet: f fetches it first")
    );
    press(&mut m, key(KeyCode::End));
    let effects = press(&mut m, key(KeyCode::Char('R')));
    assert!(
        matches!(effects.as_slice(), [Effect::RetryBatch(id)] if id == "sub-fetched"),
        "{effects:?}"
    );
    assert!(
        press(&mut m, key(KeyCode::Char('R'))).is_empty(),
        "not twice while it works"
    );
    act(
        &mut m,
        Action::Batches(BatchesResult::Retried {
            id: "sub-fetched".into(),
            result: Ok(Some(("batch_again".into(), 2))),
        }),
    );
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .text
            .contains("Sent 2 line(s) of batch_fetched again as batch_again")
    );
    assert!(m.batches.busy.is_empty());
}

#[test]
fn batches_snapshot() {
    for size in SIZES {
        let mut m = model(size);
        batches_open(&mut m);
        press(&mut m, key(KeyCode::Down));
        insta::assert_snapshot!(format!("batches_{}x{}", size.0, size.1), screen(&m));
    }
}

#[test]
fn batches_empty_snapshot() {
    let mut m = model((80, 24));
    in_gallery(&mut m);
    press(&mut m, key(KeyCode::Char('b')));
    act(
        &mut m,
        Action::Batches(BatchesResult::Listed {
            rows: Vec::new(),
            read_at: read_at(),
            asked: true,
            problem: Some("No API key: F2 sets one".into()),
        }),
    );
    insta::assert_snapshot!("batches_empty_80x24", screen(&m));
}

#[test]
fn batch_choice_snapshot() {
    for size in SIZES {
        let mut m = model(size);
        ask(&mut m);
        insta::assert_snapshot!(format!("batch_choice_{}x{}", size.0, size.1), screen(&m));
    }
}

/// The demo charges nothing; the question shows OpenAI's prices, and a
/// wide range (quality and size left to the server) keeps its columns.
#[test]
fn batch_choice_demo_snapshot() {
    let mut m = model((80, 24));
    m.session.demo = true;
    m.params.values.model = "gpt-image-2.6-flare".into();
    in_gallery(&mut m);
    let path = std::path::PathBuf::from("/tmp/teapots.txt");
    act(
        &mut m,
        Action::File(FileResult::BatchRead {
            id: artty::batch::batch_id(&path),
            path,
            result: Ok("a teapot\na cup\n".into()),
            waiting: Default::default(),
            step: BatchStep::Choose,
        }),
    );
    let shown = screen(&m);
    assert!(shown.contains("at OpenAI"), "{shown}");
    assert!(shown.contains("charges nothing"), "{shown}");
    insta::assert_snapshot!("batch_choice_demo_80x24", shown);
}

#[test]
fn a_batch_seen_running_that_ends_is_said_and_a_start_names_the_open_ones() {
    let mut m = model((160, 48));
    // At start-up the journal's batches are read without asking a server.
    act(
        &mut m,
        Action::Batches(BatchesResult::Found { rows: rows() }),
    );
    let said = &m.status.as_ref().unwrap().text;
    assert!(
        said.contains("3 batch(es) on the Batch API not fetched yet: b in the gallery"),
        "{said}"
    );
    // Not over a message that was there first.
    let mut quiet = model((160, 48));
    quiet.set_status(Level::Warning, "a job was interrupted");
    act(
        &mut quiet,
        Action::Batches(BatchesResult::Found { rows: rows() }),
    );
    assert_eq!(quiet.status.as_ref().unwrap().text, "a job was interrupted");

    batches_open(&mut m);
    m.status = None;
    listed(&mut m, true);
    assert!(m.status.is_none(), "nothing changed, nothing said");
    let mut now = rows();
    now[0].status = Some(BatchStatus::Completed);
    now[0].counts.completed = 40;
    act(
        &mut m,
        Action::Batches(BatchesResult::Listed {
            rows: now,
            read_at: read_at(),
            asked: true,
            problem: None,
        }),
    );
    let said = &m.status.as_ref().unwrap().text;
    assert!(
        said.contains("batch_running is completed: f saves its images"),
        "{said}"
    );
}
