//! Every command rebound in keys.toml: no screen may still name a default
//! key, since every hint is drawn from the keymap. The views are opened by
//! command, not by key, so the rebinding cannot get in their way.

use crate::app_common;

use std::collections::BTreeSet;

use app_common::painting::prepared;
use app_common::*;
use artty::action::{Action, GalleryResult, JobResult};
use artty::keymap::{Command, Context, Keymap};
use artty::model::jobs::{JobFailure, Stage};
use artty::model::{Model, Overlay, Panel};
use crossterm::event::KeyCode;

/// Chords no default binding uses, one per command of a context.
const SPARE: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// keys.toml with every binding of every context moved to `ctrl-alt-…`.
fn every_command_rebound() -> Keymap {
    let defaults = Keymap::default();
    let mut text = String::new();
    for context in Context::ALL {
        text.push_str(&format!("[{}]\n", context.name()));
        let commands: Vec<Command> = defaults.in_context(context).map(|b| b.command).collect();
        assert!(
            commands.len() <= SPARE.len(),
            "{context:?} has too many bindings"
        );
        for (command, spare) in commands.iter().zip(SPARE.chars()) {
            text.push_str(&format!("{} = [\"ctrl-alt-{spare}\"]\n", command.name()));
        }
    }
    let (keymap, warnings) = Keymap::with_overrides(&text);
    assert!(warnings.is_empty(), "{warnings:?}");
    for context in Context::ALL {
        for binding in keymap.in_context(context) {
            assert!(
                binding
                    .keys
                    .iter()
                    .all(|k| k.to_string().starts_with("Ctrl+Alt+")),
                "{context:?} {:?} kept {:?}",
                binding.command,
                binding.keys
            );
        }
    }
    keymap
}

/// The default keys as the screen would name them, where a name can be
/// told apart from text: more than one character, or an arrow.
fn default_labels() -> BTreeSet<String> {
    let defaults = Keymap::default();
    Context::ALL
        .iter()
        .flat_map(|c| defaults.in_context(*c))
        .flat_map(|b| b.keys.iter().map(|k| k.to_string()))
        .filter(|label| label.chars().count() > 1 || "↑↓←→".contains(label.as_str()))
        .collect()
}

/// `label` standing alone in `text` (not inside a longer word or chord).
fn names(text: &str, label: &str) -> bool {
    text.match_indices(label).any(|(at, _)| {
        let before = text[..at].chars().last();
        let after = text[at + label.len()..].chars().next();
        let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '+');
        !joins(before) && !joins(after)
    })
}

fn run(m: &mut Model, command: Command) {
    act(m, Action::Run(command));
}

fn with_images(m: &mut Model) {
    act(
        m,
        Action::Gallery(GalleryResult::Loaded(vec![
            saved("a fox", 2),
            saved("a hat", 1),
        ])),
    );
}

fn in_gallery(m: &mut Model) {
    with_images(m);
    m.focus = Panel::Gallery;
    m.editing = false;
    m.prompt.set_editing(false);
}

type Step = fn(&mut Model);

const VIEWS: [(&str, Step); 20] = [
    ("empty prompt", |_| {}),
    ("no key", |m| m.key_setup.active = None),
    ("gallery", in_gallery),
    ("search typed", |m| {
        in_gallery(m);
        run(m, Command::Search);
    }),
    ("search with no match", |m| {
        in_gallery(m);
        run(m, Command::Search);
        press(m, key(KeyCode::Char('z')));
        run(m, Command::Choose);
    }),
    ("details", |m| {
        in_gallery(m);
        run(m, Command::Details);
    }),
    ("key setup", |m| run(m, Command::KeySetup)),
    ("model picker, nothing matches", |m| {
        m.focus = Panel::Params;
        m.editing = false;
        run(m, Command::Choose);
        press(m, key(KeyCode::Char('z')));
    }),
    ("confirm quit", |m| {
        job(m, "a fox", 3, running(Stage::Queued));
        run(m, Command::Quit);
        assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    }),
    ("edit opened", |m| {
        in_gallery(m);
        run(m, Command::EditImage);
        assert_eq!(m.overlay, Some(Overlay::Edit));
    }),
    ("edit path typed", |m| {
        in_gallery(m);
        run(m, Command::EditImage);
        run(m, Command::AddSource);
    }),
    ("edit sent and still open", |m| {
        in_gallery(m);
        run(m, Command::EditImage);
        prepared(m);
        type_text(m, "a red hat");
        run(m, Command::Generate);
        run(m, Command::Close);
    }),
    ("edit discarded", |m| {
        in_gallery(m);
        run(m, Command::EditImage);
        run(m, Command::Discard);
    }),
    ("painter with a rectangle begun", |m| {
        in_gallery(m);
        run(m, Command::EditImage);
        prepared(m);
        run(m, Command::PaintMask);
        assert_eq!(m.overlay, Some(Overlay::Painter));
        run(m, Command::Rectangle);
    }),
    ("export folder", |m| {
        in_gallery(m);
        run(m, Command::Export);
    }),
    ("nothing to export", |m| {
        m.focus = Panel::Gallery;
        m.editing = false;
        run(m, Command::Export);
    }),
    ("compare with nothing marked", |m| {
        in_gallery(m);
        run(m, Command::Compare);
    }),
    ("family", |m| {
        in_gallery(m);
        run(m, Command::Family);
    }),
    ("prompt reused", |m| {
        in_gallery(m);
        run(m, Command::Down);
        run(m, Command::Reuse);
    }),
    ("a job refused for its key", |m| {
        let id = job(m, "a fox", 3, running(Stage::Queued));
        let failure = JobFailure {
            headline: "The API key was refused (401).".into(),
            detail: String::new(),
            may_be_billed: false,
            kind: "invalid_key",
            kept: None,
        };
        act(m, Action::Job(JobResult::Failed { id, failure }));
    }),
];

#[test]
fn every_command_rebound_leaves_no_default_key_on_any_screen() {
    let rebound = every_command_rebound();
    let labels = default_labels();
    for label in ["Ctrl+G", "F2", "F3", "Esc", "Enter", "Tab", "Space", "↑"] {
        assert!(
            labels.contains(label),
            "{label} is a default key: {labels:?}"
        );
    }
    let mut left = Vec::new();
    for size in [(80, 24), (160, 48)] {
        for (name, open) in VIEWS {
            let mut m = model_with_keys(size, rebound.clone());
            open(&mut m);
            let text = screen(&m);
            assert!(
                text.contains("Ctrl+Alt+"),
                "{name} names no key at all:\n{text}"
            );
            for label in labels.iter().filter(|l| names(&text, l)) {
                left.push(format!("{name} at {size:?}: {label}\n{text}"));
            }
        }
    }
    assert!(
        left.is_empty(),
        "default keys on screen:\n{}",
        left.join("\n")
    );
}

#[test]
fn the_label_finder_tells_a_key_from_a_word() {
    assert!(names("Esc closes", "Esc"));
    assert!(names("\"Ctrl+G sends\"", "Ctrl+G"));
    assert!(!names("Escape", "Esc"));
    assert!(!names("Ctrl+Alt+G", "Ctrl+G"));
    assert!(!names("Shift+Tab", "Tab"));
}

#[test]
fn a_key_taken_from_a_default_binding_is_named_in_the_warning() {
    let (keymap, warnings) = Keymap::with_overrides("[gallery]\nmark = [\"e\"]\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("mark") && warnings[0].contains("edit_image"),
        "{warnings:?}"
    );
    // The key is listed once, for the command the user gave it to.
    let holders: Vec<Command> = keymap
        .in_context(Context::Gallery)
        .filter(|b| b.keys.iter().any(|k| k.to_string() == "e"))
        .map(|b| b.command)
        .collect();
    assert_eq!(holders, vec![Command::Mark]);
    let (_, warnings) = Keymap::with_overrides(
        "[gallery]\nmark = [\"ctrl-alt-q\"]\nfavourite = [\"ctrl-alt-q\"]\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("both"), "{warnings:?}");
}
