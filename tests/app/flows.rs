//! Flows through `update`: key sequences and background results in, model
//! state and effects out, with no terminal and no disk.

use crate::app_common;

use app_common::*;
use artty::action::{Action, GalleryResult, JobResult, KeyReport, KeyResult};
use artty::effect::Effect;
use artty::keymap::Keymap;
use artty::model::jobs::{JobFailure, JobState, Stage};
use artty::model::key_setup::KeyCheck;
use artty::model::params::Field;
use artty::model::{Level, Overlay, Panel};
use artty::store::journal::JournalEntry;
use artty::store::trash::TrashTicket;
use crossterm::event::KeyCode;
use std::sync::Arc;

fn started(effects: &[Effect]) -> Option<&artty::api::ImageRequest> {
    effects.iter().find_map(|e| match e {
        Effect::StartJob { request, .. } => Some(request.request()),
        _ => None,
    })
}

#[test]
fn typing_a_prompt_and_ctrl_g_starts_a_job_and_remembers_the_prompt() {
    let mut m = model((80, 24));
    type_text(&mut m, "a red fox\nin snow");
    let effects = press(&mut m, ctrl('g'));
    let request = started(&effects).expect("a job was started");
    assert_eq!(request.params.prompt.as_deref(), Some("a red fox\nin snow"));
    assert_eq!(request.params.model, "gpt-image-2");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveState(s) if s.history == ["a red fox\nin snow"]))
    );
    assert_eq!(m.jobs.list.len(), 1);
    assert_eq!(m.jobs.list[0].state, JobState::Running(Stage::Queued));
    assert!(m.animating(), "a running job makes the spinner tick");
}

#[test]
fn f5_generates_too_and_from_any_panel() {
    let mut m = model((80, 24));
    type_text(&mut m, "x");
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Tab));
    assert_eq!(m.focus, Panel::Gallery);
    assert!(started(&press(&mut m, key(KeyCode::F(5)))).is_some());
}

#[test]
fn a_blank_prompt_sends_nothing_and_says_why() {
    let mut m = model((80, 24));
    type_text(&mut m, "   ");
    assert!(press(&mut m, ctrl('g')).is_empty());
    assert_eq!(m.status.as_ref().unwrap().level, Level::Warning);
    assert!(m.jobs.list.is_empty());
}

#[test]
fn without_a_key_generate_opens_key_setup_instead_of_sending() {
    let mut m = model((80, 24));
    m.key_setup.active = None;
    type_text(&mut m, "a cat");
    assert!(press(&mut m, ctrl('g')).is_empty());
    assert_eq!(m.overlay, Some(Overlay::KeySetup));
}

#[test]
fn a_prompt_over_the_model_limit_is_refused_before_sending() {
    let mut m = model((80, 24));
    // Another server, so dall-e-2's shutdown on OpenAI is not the reason.
    m.session.is_openai = false;
    m.params.set_model("dall-e-2");
    m.prompt.paste(&"a".repeat(1001));
    assert!(press(&mut m, ctrl('g')).is_empty());
    let status = m.status.clone().unwrap();
    assert_eq!(status.level, Level::Error);
    assert_eq!(
        status.text,
        "Not sent: prompt: 1001 characters is over dall-e-2's limit of 1000"
    );
}

#[test]
fn a_resize_switches_between_the_narrow_and_the_wide_layout() {
    use artty::layout::areas::Areas;
    let mut m = model((80, 24));
    assert_eq!(
        Areas::of(&m).params.width,
        0,
        "narrow: the gallery takes the lower area"
    );
    act(
        &mut m,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    let wide = Areas::of(&m);
    assert!(wide.params.width > 0 && wide.gallery.width > 0 && wide.preview.width > 0);
    assert!(screen(&m).contains("Selected"));
}

#[test]
fn a_custom_size_is_checked_live_and_a_bad_one_is_never_sent() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Down));
    assert_eq!(m.params.current(&m.session.catalog), Field::Size);
    press(&mut m, key(KeyCode::Enter));
    assert!(m.params.size_input.is_some());
    // Letters that are commands elsewhere (k, j, h, l) are text here.
    for c in "1000x1000".chars() {
        press(&mut m, key(KeyCode::Char(c)));
    }
    let input = m.params.size_input.clone().unwrap();
    assert_eq!(input.text.as_str(), "1000x1000");
    assert!(input.check.unwrap_err().contains("multiples of 16"));
    press(&mut m, key(KeyCode::Enter));
    assert!(m.params.size_input.is_some(), "a bad size is not taken");
    m.prompt.paste("x");
    assert!(press(&mut m, ctrl('g')).is_empty());
    for _ in 0..9 {
        press(&mut m, key(KeyCode::Backspace));
    }
    type_text(&mut m, "1792x1024");
    press(&mut m, key(KeyCode::Enter));
    assert_eq!(m.params.values.size.as_deref(), Some("1792x1024"));
    let effects = press(&mut m, ctrl('g'));
    assert_eq!(
        started(&effects).unwrap().params.size.as_deref(),
        Some("1792x1024")
    );
}

#[test]
fn parameters_show_only_what_the_model_takes_and_are_remembered_per_model() {
    let mut m = model((80, 24));
    let catalog = m.session.catalog.clone();
    assert!(!m.params.fields(&catalog).contains(&Field::Style));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Down));
    press(&mut m, key(KeyCode::Down));
    assert_eq!(m.params.current(&catalog), Field::Quality);
    press(&mut m, key(KeyCode::Left));
    assert_eq!(m.params.values.quality.as_deref(), Some("high"));
    m.params.set_model("dall-e-3");
    assert!(m.params.fields(&catalog).contains(&Field::Style));
    assert_eq!(m.params.values.quality, None);
    m.params.set_model("gpt-image-2");
    assert_eq!(m.params.values.quality.as_deref(), Some("high"));
    assert_eq!(m.params.summary(&catalog), "gpt-image-2 · quality high");
}

#[test]
fn compression_appears_only_with_jpeg_or_webp_and_is_dropped_with_them() {
    let mut m = model((80, 24));
    let catalog = m.session.catalog.clone();
    m.params.set(Field::OutputFormat, Some("jpeg".into()));
    m.params.set(Field::Compression, Some("80".into()));
    assert!(m.params.fields(&catalog).contains(&Field::Compression));
    m.params.set(Field::OutputFormat, Some("png".into()));
    assert!(!m.params.fields(&catalog).contains(&Field::Compression));
    assert_eq!(m.params.values.output_compression, None);
}

#[test]
fn the_model_picker_takes_table_models_and_typed_names() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Enter));
    assert!(matches!(m.overlay, Some(Overlay::Picker(_))));
    type_text(&mut m, "dall-e-3");
    press(&mut m, key(KeyCode::Enter));
    assert_eq!(m.params.model(), "dall-e-3");
    press(&mut m, key(KeyCode::Enter));
    type_text(&mut m, "my-local-model");
    press(&mut m, key(KeyCode::Enter));
    assert_eq!(m.params.model(), "my-local-model");
    assert!(m.status.unwrap().text.contains("not in the model table"));
}

#[test]
fn q_and_question_mark_are_text_while_typing_and_commands_outside() {
    let mut m = model((80, 24));
    type_text(&mut m, "q?");
    assert_eq!(m.prompt.content(), "q?");
    assert!(!m.quit && m.overlay.is_none());
    press(&mut m, key(KeyCode::Esc));
    press(&mut m, key(KeyCode::Char('?')));
    assert!(matches!(m.overlay, Some(Overlay::Help { .. })));
    press(&mut m, key(KeyCode::Esc));
    press(&mut m, key(KeyCode::Char('q')));
    assert!(m.quit);
}

#[test]
fn f1_opens_help_even_while_typing() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::F(1)));
    assert!(matches!(m.overlay, Some(Overlay::Help { .. })));
}

#[test]
fn quitting_with_jobs_running_asks_first_and_a_second_ctrl_c_quits() {
    let mut m = model((80, 24));
    job(&mut m, "slow", 3, running(Stage::Receiving));
    press(&mut m, ctrl('c'));
    assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    assert!(!m.quit);
    press(&mut m, key(KeyCode::Char('n')));
    assert_eq!(m.overlay, None);
    press(&mut m, ctrl('c'));
    press(&mut m, ctrl('c'));
    assert!(m.quit);
}

#[test]
fn results_move_a_job_from_running_to_saved_and_stale_ones_are_dropped() {
    let mut m = model((80, 24));
    let id = job(&mut m, "fox", 1, running(Stage::Queued));
    act(
        &mut m,
        Action::Job(JobResult::StageChanged {
            id,
            stage: Stage::Partial { received: 2 },
        }),
    );
    assert_eq!(
        m.jobs.list[0].state,
        JobState::Running(Stage::Partial { received: 2 })
    );
    act(
        &mut m,
        Action::Job(JobResult::Saved {
            id,
            images: vec![saved("fox", 1)],
            warning: None,
        }),
    );
    assert!(m.jobs.list.is_empty());
    assert_eq!(m.gallery.images.len(), 1);
    assert!(
        m.status
            .clone()
            .unwrap()
            .text
            .starts_with("Saved /home/user")
    );
    // A late stage report for a finished job changes nothing.
    act(
        &mut m,
        Action::Job(JobResult::StageChanged {
            id,
            stage: Stage::Saving,
        }),
    );
    act(
        &mut m,
        Action::Job(JobResult::Saved {
            id,
            images: vec![saved("again", 2)],
            warning: None,
        }),
    );
    assert!(m.jobs.list.is_empty());
    assert_eq!(m.gallery.images.len(), 1);
}

#[test]
fn a_failed_job_keeps_its_error_and_can_be_retried_or_dismissed() {
    let mut m = model((80, 24));
    let id = job(&mut m, "fox", 1, running(Stage::Receiving));
    let failure = JobFailure {
        headline: "Rate limited: wait 20 s".into(),
        detail: "HTTP 429".into(),
        may_be_billed: false,
        kind: "rate_limited",
        kept: None,
    };
    act(
        &mut m,
        Action::Job(JobResult::Failed {
            id,
            failure: failure.clone(),
        }),
    );
    assert_eq!(m.jobs.list[0].state, JobState::Failed(failure));
    assert_eq!(m.status.clone().unwrap().level, Level::Error);
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Enter));
    assert_eq!(m.overlay, Some(Overlay::Details { scroll: 0 }));
    press(&mut m, key(KeyCode::Esc));
    let effects = press(&mut m, key(KeyCode::Char('r')));
    assert_eq!(
        started(&effects).unwrap().params.prompt.as_deref(),
        Some("fox")
    );
    assert_eq!(
        m.jobs.list.len(),
        1,
        "the failed entry gives way to the retry"
    );
    let id = m.jobs.list[0].id;
    act(
        &mut m,
        Action::Job(JobResult::Failed {
            id,
            failure: JobFailure {
                headline: "again".into(),
                detail: String::new(),
                may_be_billed: false,
                kind: "server_error",
                kept: None,
            },
        }),
    );
    let effects = press(&mut m, key(KeyCode::Char('d')));
    assert!(matches!(&effects[..], [Effect::ForgetJob { .. }]));
    assert!(m.jobs.list.is_empty());
}

/// A failed save keeps the images: `r` saves them again (no request),
/// quitting asks, `x` cannot cut the save short and `d` asks twice.
#[test]
fn images_kept_from_a_failed_save_are_saved_again_not_requested_again() {
    let mut m = model((100, 30));
    let id = job(&mut m, "fox", 1, running(Stage::Saving));
    m.focus = Panel::Gallery;
    m.editing = false;
    press(&mut m, key(KeyCode::Char('x')));
    assert!(m.jobs.list[0].is_running(), "a save is not cancelled");
    let unsaved = kept_images("fox");
    let failure = not_saved(unsaved.clone(), "disk full");
    act(&mut m, Action::Job(JobResult::Failed { id, failure }));
    let status = m.status.clone().unwrap().text;
    assert!(
        status.contains("kept in memory") && status.contains("r on the job"),
        "{status}"
    );
    assert!(screen(&m).contains("not saved"), "{}", screen(&m));

    press(&mut m, key(KeyCode::Char('q')));
    assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    let asked = screen(&m);
    assert!(
        asked.contains("quitting") && asked.contains("artty-rescued"),
        "{asked}"
    );
    press(&mut m, key(KeyCode::Char('n')));
    assert!(!m.quit);

    let effects = press(&mut m, key(KeyCode::Char('r')));
    assert!(
        matches!(&effects[..], [Effect::SaveAgain { id: again, unsaved: u }] if *again == id && Arc::ptr_eq(u, &unsaved)),
        "{effects:?}"
    );
    assert_eq!(m.jobs.list[0].state, running(Stage::Saving));
    assert!(started(&effects).is_none(), "nothing is sent again");

    let failure = not_saved(unsaved, "still full");
    act(&mut m, Action::Job(JobResult::Failed { id, failure }));
    assert!(press(&mut m, key(KeyCode::Char('d'))).is_empty());
    assert_eq!(m.jobs.list.len(), 1, "the first d only warns");
    assert!(m.status.clone().unwrap().text.contains("not saved"));
    let effects = press(&mut m, key(KeyCode::Char('d')));
    assert!(matches!(&effects[..], [Effect::ForgetJob { .. }]));
    assert!(m.jobs.list.is_empty());
}

#[test]
fn a_running_job_is_cancelled_with_x_not_deleted() {
    let mut m = model((80, 24));
    let id = job(&mut m, "fox", 1, running(Stage::Receiving));
    m.focus = Panel::Gallery;
    m.editing = false;
    assert!(press(&mut m, key(KeyCode::Char('d'))).is_empty());
    let effects = press(&mut m, key(KeyCode::Char('x')));
    assert!(matches!(&effects[..], [Effect::CancelJob { id: c, .. }] if *c == id));
    act(&mut m, Action::Job(JobResult::Cancelled { id }));
    assert!(m.jobs.list.is_empty());
}

#[test]
fn delete_goes_to_the_trash_and_undo_brings_it_back() {
    let mut m = model((80, 24));
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(vec![
            saved("new", 2),
            saved("old", 1),
        ])),
    );
    m.focus = Panel::Gallery;
    m.editing = false;
    let effects = press(&mut m, key(KeyCode::Char('d')));
    let Some(Effect::Trash(image)) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(image.sidecar.prompt.as_deref(), Some("new"));
    let ticket = TrashTicket { moves: vec![] };
    act(
        &mut m,
        Action::Gallery(GalleryResult::Trashed {
            image: image.clone(),
            ticket,
        }),
    );
    assert_eq!(m.gallery.images.len(), 1);
    let effects = press(&mut m, key(KeyCode::Char('u')));
    let Some(Effect::Restore(trashed)) = effects.first() else {
        panic!("{effects:?}")
    };
    act(
        &mut m,
        Action::Gallery(GalleryResult::Restored {
            image: Box::new(trashed.image.clone()),
        }),
    );
    let prompts: Vec<_> = m
        .gallery
        .images
        .iter()
        .map(|i| i.sidecar.prompt.clone().unwrap())
        .collect();
    assert_eq!(prompts, ["new", "old"], "restored in date order");
}

#[test]
fn copy_uses_osc52_and_open_without_a_display_says_so() {
    let mut m = model((80, 24));
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(vec![saved("fox", 1)])),
    );
    m.focus = Panel::Gallery;
    m.editing = false;
    let effects = press(&mut m, key(KeyCode::Char('y')));
    assert!(matches!(&effects[..], [Effect::Copy(p)] if p.ends_with("img-001.png")));
    let effects = press(&mut m, key(KeyCode::Char('Y')));
    assert!(matches!(&effects[..], [Effect::Copy(p)] if p == "fox"));
    assert!(press(&mut m, key(KeyCode::Char('o'))).is_empty());
    assert!(m.status.clone().unwrap().text.contains("No display"));
    m.session.has_display = true;
    assert!(matches!(
        &press(&mut m, key(KeyCode::Char('o')))[..],
        [Effect::OpenViewer(_)]
    ));
}

#[test]
fn reuse_puts_prompt_and_parameters_back_in_the_editor() {
    let mut m = model((80, 24));
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(vec![saved("a lighthouse", 1)])),
    );
    m.focus = Panel::Gallery;
    m.editing = false;
    press(&mut m, key(KeyCode::Char('r')));
    assert_eq!(m.prompt.content(), "a lighthouse");
    assert_eq!(m.params.values.size.as_deref(), Some("1536x1024"));
    assert_eq!(m.focus, Panel::Prompt);
    assert!(m.editing);
}

#[test]
fn history_survives_sessions_and_is_browsed_with_alt_arrows() {
    let mut m = model((80, 24));
    m.prompt = artty::model::prompt::Prompt::new(vec!["first".into(), "second".into()]);
    type_text(&mut m, "draft");
    press(&mut m, alt(KeyCode::Up));
    assert_eq!(m.prompt.content(), "second");
    press(&mut m, alt(KeyCode::Up));
    assert_eq!(m.prompt.content(), "first");
    press(&mut m, alt(KeyCode::Down));
    press(&mut m, alt(KeyCode::Down));
    assert_eq!(m.prompt.content(), "draft");
}

#[test]
fn ctrl_e_hands_the_prompt_to_the_editor_and_reads_it_back() {
    let mut m = model((80, 24));
    type_text(&mut m, "rough idea");
    // Ctrl+E is readline's end of line in the prompt; Alt+E the editor.
    let effects = press(&mut m, ctrl('e'));
    assert!(effects.is_empty());
    let effects = press(&mut m, alt(KeyCode::Char('e')));
    assert!(matches!(&effects[..], [Effect::OpenEditor(t)] if t == "rough idea"));
    act(
        &mut m,
        Action::EditorClosed(Ok("a polished\nidea\n".into())),
    );
    assert_eq!(m.prompt.content(), "a polished\nidea");
    act(&mut m, Action::EditorClosed(Err("vi exited with 1".into())));
    assert_eq!(m.prompt.content(), "a polished\nidea");
}

#[test]
fn paste_lands_in_the_prompt_from_anywhere_without_control_characters() {
    let mut m = model((80, 24));
    m.focus = Panel::Gallery;
    m.editing = false;
    act(
        &mut m,
        Action::Paste("a \x1b[31mred\x1b[0m fox\r\nline two".into()),
    );
    assert_eq!(m.focus, Panel::Prompt);
    assert_eq!(m.prompt.content(), "a [31mred[0m fox\nline two");
}

#[test]
fn key_setup_checks_saves_and_never_draws_the_key() {
    const SECRET: &str = "sk-proj-abcdefghijklmnop1234";
    let mut m = model((160, 48));
    m.key_setup.active = None;
    press(&mut m, key(KeyCode::F(2)));
    assert_eq!(m.overlay, Some(Overlay::KeySetup));
    act(&mut m, Action::Paste(SECRET.into()));
    assert!(!screen(&m).contains("abcdefgh"), "the key is masked");
    let effects = press(&mut m, key(KeyCode::Enter));
    let Some(Effect::CheckKey(candidate)) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(candidate.key.as_ref().unwrap().expose(), SECRET);
    assert_eq!(m.key_setup.check, KeyCheck::Checking);
    act(
        &mut m,
        Action::Key(KeyResult::Checked(Ok(KeyReport {
            image_models: vec!["gpt-image-2".into(), "dall-e-3".into()],
        }))),
    );
    assert!(screen(&m).contains("key works, 2 image models available"));
    let effects = press(&mut m, ctrl('s'));
    assert!(matches!(
        &effects[..],
        [Effect::ApplyKey { persist: true, .. }]
    ));
    act(
        &mut m,
        Action::Key(KeyResult::Applied {
            masked: "sk-…1234".into(),
            source: "/home/u/.config/artty/credentials".into(),
            note: "Key saved".into(),
            server: "http://127.0.0.1:9/v1".into(),
            is_openai: false,
        }),
    );
    assert!(m.has_key());
    assert_eq!(m.overlay, None);
    // The server set in the panel is the one every check and sidecar uses
    // from now on, without a restart.
    assert_eq!(m.session.server, "http://127.0.0.1:9/v1");
    assert!(!m.session.is_openai, "retired models are no longer refused");
    press(&mut m, key(KeyCode::F(2)));
    let shown = screen(&m);
    assert!(shown.contains("sk-…1234"), "{shown}");
    assert!(!shown.contains(SECRET));
}

#[test]
fn a_refused_key_is_reported_in_plain_words() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::F(2)));
    act(
        &mut m,
        Action::Key(KeyResult::Checked(Err(
            "The API key was refused (401).".into()
        ))),
    );
    assert!(matches!(&m.key_setup.check, KeyCheck::Failed(w) if w.contains("401")));
}

#[test]
fn interrupted_jobs_from_the_journal_are_listed_and_can_be_retried() {
    let mut m = model((80, 24));
    let mut entry = JournalEntry::new(
        "20261120-090000-77-0001".into(),
        artty::api::Endpoint::Generations,
        params("lost fox"),
        "https://api.openai.com/v1".into(),
    );
    entry.sent = true;
    act(&mut m, Action::Job(JobResult::Interrupted(vec![entry])));
    assert!(matches!(
        m.jobs.list[0].state,
        JobState::Interrupted { sent: true, .. }
    ));
    assert!(m.status.clone().unwrap().text.contains("interrupted"));
    m.focus = Panel::Gallery;
    m.editing = false;
    let effects = press(&mut m, key(KeyCode::Char('r')));
    assert!(started(&effects).is_some());
    assert!(effects.iter().any(
        |e| matches!(e, Effect::ForgetJob { journal } if journal == "20261120-090000-77-0001")
    ));
}

#[test]
fn a_click_focuses_the_panel_and_selects_the_row_under_it() {
    let mut m = model((160, 48));
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(
            (0..5).map(|i| saved(&format!("p{i}"), 10 - i)).collect(),
        )),
    );
    // Wide layout: the gallery is on the right, its first row at y = 1.
    act(
        &mut m,
        Action::Click {
            column: 100,
            row: 3,
        },
    );
    assert_eq!(m.focus, Panel::Gallery);
    assert_eq!(m.gallery.selected, 2);
    act(
        &mut m,
        Action::Scroll {
            down: true,
            column: 100,
            row: 3,
        },
    );
    assert_eq!(m.gallery.selected, 3);
}

#[test]
fn keys_toml_rebinds_a_command_and_reports_what_it_could_not_use() {
    let (keymap, warnings) = Keymap::with_overrides(
        "[global]\ngenerate = [\"f9\"]\nfly = [\"x\"]\n[gallery]\ndelete = [\"ctrl-nope\"]\n",
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let mut m = model((80, 24));
    m.keymap = keymap;
    type_text(&mut m, "x");
    assert!(press(&mut m, ctrl('g')).is_empty(), "ctrl-g was replaced");
    assert!(started(&press(&mut m, key(KeyCode::F(9)))).is_some());
}

#[test]
fn docs_keybindings_md_is_the_keymap_table() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keybindings.md"))
        .unwrap();
    let table = Keymap::default().to_markdown();
    assert!(
        doc.contains(&table),
        "docs/keybindings.md is out of date: regenerate the tables from Keymap::to_markdown()"
    );
}
