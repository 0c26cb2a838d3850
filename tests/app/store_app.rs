//! What the app keeps on disk besides images: the job journal, the trash
//! and the remembered state.

use artty::api::{Endpoint, ImageParams};
use artty::store::app_state::AppState;
use artty::store::journal::{Journal, JournalEntry};
use artty::store::trash::{restore, trash};

fn entry(name: &str) -> JournalEntry {
    JournalEntry::new(
        name.into(),
        Endpoint::Generations,
        ImageParams::new("gpt-image-2"),
        "s".into(),
    )
}

#[test]
fn the_journal_lists_what_earlier_runs_left_and_not_this_runs_entries() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    journal.record(&entry("20261120-090000-1-0001")).unwrap();
    journal.record(&entry("20261121-120000-9-0001")).unwrap();
    let left = journal.leftovers("20261121-120000-9").unwrap();
    let names: Vec<_> = left.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["20261120-090000-1-0001"]);
    journal.forget("20261120-090000-1-0001").unwrap();
    journal.forget("20261120-090000-1-0001").unwrap();
    assert!(
        journal
            .leftovers("x")
            .unwrap()
            .iter()
            .all(|e| e.name != "20261120-090000-1-0001")
    );
}

#[test]
fn the_journal_skips_entries_of_a_live_process_and_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    let mut live = entry("other-live");
    live.pid = 1; // init is always running
    journal.record(&live).unwrap();
    std::fs::write(dir.path().join("torn.json"), b"{\"version\": 1, \"na").unwrap();
    std::fs::write(dir.path().join(".artty-tmp-x"), b"half").unwrap();
    assert!(journal.leftovers("x").unwrap().is_empty());
    // Torn temp files from a crash are removed when the journal opens.
    Journal::open(dir.path()).unwrap();
    assert!(!dir.path().join(".artty-tmp-x").exists());
}

#[test]
fn mark_stopped_records_the_signal_on_this_process_entries() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    journal.record(&entry("mine")).unwrap();
    assert_eq!(journal.mark_stopped("SIGHUP").unwrap(), 1);
    let text = std::fs::read_to_string(dir.path().join("mine.json")).unwrap();
    assert!(text.contains("\"stopped_by\": \"SIGHUP\""), "{text}");
}

/// The race behind a flaky SIGTERM: a job's "sent" rewrite, queued on a
/// blocking thread before the signal, lands after the marking pass. The
/// clone shares the mark, as the job's copy of the journal does.
#[test]
fn a_write_that_lands_after_mark_stopped_keeps_the_mark() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    let jobs_copy = journal.clone();
    let mut late = entry("mine");
    jobs_copy.record(&late).unwrap();
    assert_eq!(journal.mark_stopped("SIGTERM").unwrap(), 1);
    late.sent = true;
    jobs_copy.record(&late).unwrap();
    let text = std::fs::read_to_string(dir.path().join("mine.json")).unwrap();
    assert!(
        text.contains("\"stopped_by\": \"SIGTERM\"") && text.contains("\"sent\": true"),
        "{text}"
    );
}

#[test]
fn trash_moves_files_away_and_restore_puts_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let (image, sidecar) = (dir.path().join("a.png"), dir.path().join("a.json"));
    std::fs::write(&image, b"png").unwrap();
    std::fs::write(&sidecar, b"{}").unwrap();
    let ticket = trash(&dir.path().join("trash"), &[sidecar.clone(), image.clone()]).unwrap();
    assert!(!image.exists() && !sidecar.exists());
    assert!(ticket.moves.iter().all(|(_, to)| to.exists()));
    restore(&ticket).unwrap();
    assert_eq!(std::fs::read(&image).unwrap(), b"png");
    assert_eq!(std::fs::read(&sidecar).unwrap(), b"{}");
}

#[test]
fn restore_refuses_to_overwrite_a_file_that_came_back() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("a.png");
    std::fs::write(&image, b"old").unwrap();
    let ticket = trash(&dir.path().join("trash"), std::slice::from_ref(&image)).unwrap();
    std::fs::write(&image, b"new").unwrap();
    assert!(restore(&ticket).is_err());
    assert_eq!(std::fs::read(&image).unwrap(), b"new");
}

#[test]
fn app_state_round_trips_and_a_broken_file_starts_over_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut state = AppState {
        history: vec!["a fox".into()],
        last_model: Some("dall-e-3".into()),
        ..AppState::default()
    };
    state.params.insert(
        "dall-e-3".into(),
        ImageParams {
            style: Some("vivid".into()),
            ..ImageParams::new("dall-e-3")
        },
    );
    state.save(&path).unwrap();
    assert_eq!(AppState::load(&path), (state, None));
    std::fs::write(&path, b"{not json").unwrap();
    let (empty, why) = AppState::load(&path);
    assert_eq!(empty, AppState::default());
    let why = why.unwrap();
    assert!(why.contains("starts over"), "{why}");
    assert!(why.contains("state.json.unreadable"), "{why}");
    // The history in it is not lost when the fresh state is saved.
    empty.save(&path).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("state.json.unreadable")).unwrap(),
        b"{not json"
    );
}

#[test]
fn opening_a_folder_keeps_temp_files_of_live_writers_and_removes_the_dead_ones() {
    // Two jobs saving at once must not remove each other's half-written files.
    let dir = tempfile::tempdir().unwrap();
    let live = dir
        .path()
        .join(format!(".artty-tmp-{}-k3x9q2", std::process::id()));
    let dead = dir.path().join(".artty-tmp-4194303-k3x9q2");
    std::fs::write(&live, b"being written").unwrap();
    std::fs::write(&dead, b"left by a crash").unwrap();
    artty::store::gallery::Gallery::open(dir.path()).unwrap();
    assert!(live.exists(), "a live writer's temp file was removed");
    assert!(!dead.exists(), "a dead writer's temp file was kept");
}
