//! What a person meets in a first session: the keys they look for are on
//! screen at any width, every text field takes readline's keys, Ctrl+Z
//! suspends, and nothing is half-applied (a refusal goes once its cause
//! is fixed, parameters and the prompt are kept, a panel setting applies
//! at once).

use artty::action::{Action, GalleryResult};
use artty::effect::Effect;
use artty::model::{Overlay, Panel};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app_common::*;

fn footer(m: &artty::model::Model) -> String {
    screen(m).lines().last().unwrap_or_default().to_string()
}

#[test]
fn help_generate_and_quit_are_in_the_footer_at_80_columns_everywhere() {
    let mut m = model((80, 24));
    let check = |m: &artty::model::Model, quit: &str| {
        let line = footer(m);
        let help = line.find("help").expect("help hinted");
        let generate = line.find("generate").expect("generate hinted");
        let quit_at = line.find(quit).expect("quit hinted");
        assert!(help < generate && generate < quit_at, "{line}");
    };
    // Typing in the prompt: q is a letter, so quit is Ctrl+C.
    check(&m, "Ctrl+C quit");
    press(&mut m, key(KeyCode::Tab));
    check(&m, "q quit");
    press(&mut m, key(KeyCode::Tab));
    check(&m, "q quit");
    press(&mut m, key(KeyCode::F(1)));
    let line = footer(&m);
    assert!(
        line.contains("Esc close help") && line.contains("q quit"),
        "{line}"
    );
    assert!(!line.contains("q close"), "q means one thing here: {line}");
}

#[test]
fn help_closes_with_esc_or_f1_and_q_then_quits() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::F(1)));
    assert!(matches!(m.overlay, Some(Overlay::Help { .. })));
    press(&mut m, key(KeyCode::Esc));
    assert_eq!(m.overlay, None);
    press(&mut m, key(KeyCode::F(1)));
    press(&mut m, key(KeyCode::F(1)));
    assert_eq!(m.overlay, None, "F1 toggles help");
    press(&mut m, key(KeyCode::F(1)));
    press(&mut m, key(KeyCode::Char('q')));
    assert!(m.quit, "q in help quits, as everywhere outside text fields");
}

#[test]
fn ctrl_z_suspends_from_anywhere() {
    let mut m = model((80, 24));
    type_text(&mut m, "a fox");
    assert!(matches!(&press(&mut m, ctrl('z'))[..], [Effect::Suspend]));
    assert_eq!(m.prompt.content(), "a fox", "not undo");
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Tab));
    assert_eq!(m.focus, Panel::Gallery);
    assert!(matches!(&press(&mut m, ctrl('z'))[..], [Effect::Suspend]));
    press(&mut m, key(KeyCode::F(2)));
    assert!(matches!(&press(&mut m, ctrl('z'))[..], [Effect::Suspend]));
}

#[test]
fn the_prompt_takes_readline_keys_and_undoes_with_ctrl_underscore() {
    let mut m = model((80, 24));
    type_text(&mut m, "a red fox");
    press(&mut m, ctrl('a'));
    type_text(&mut m, "x ");
    press(&mut m, ctrl('e'));
    type_text(&mut m, " now");
    assert_eq!(m.prompt.content(), "x a red fox now");
    press(&mut m, ctrl('w'));
    assert_eq!(m.prompt.content(), "x a red fox ");
    press(&mut m, ctrl('u'));
    assert_eq!(m.prompt.content(), "", "Ctrl+U deletes to the line's start");
    // Ctrl+_ arrives as Ctrl+7 from most terminals.
    press(&mut m, ctrl('7'));
    assert_eq!(m.prompt.content(), "x a red fox ");
    press(
        &mut m,
        KeyEvent::new(
            KeyCode::Char('_'),
            KeyModifiers::CONTROL | KeyModifiers::ALT,
        ),
    );
    assert_eq!(m.prompt.content(), "", "Ctrl+Alt+_ redoes");
}

#[test]
fn the_custom_size_field_takes_readline_keys() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Down));
    press(&mut m, key(KeyCode::Enter));
    type_text(&mut m, "1024x1024");
    press(&mut m, ctrl('a'));
    press(&mut m, ctrl('k'));
    type_text(&mut m, "1536x1024");
    press(&mut m, ctrl('b'));
    press(&mut m, ctrl('b'));
    press(&mut m, ctrl('h'));
    type_text(&mut m, "1");
    let input = m.params.size_input.as_ref().expect("typing a size");
    assert_eq!(input.text.as_str(), "1536x1124");
    assert!(
        !screen(&m).contains("Ctrl+A"),
        "no control key is typed as text"
    );
}

#[test]
fn a_refusal_goes_when_its_cause_is_fixed() {
    let mut m = model((100, 30));
    type_text(&mut m, "a fox");
    m.params.set_model("gpt-image-1");
    m.params.values.background = Some("transparent".into());
    m.params.values.output_format = Some("jpeg".into());
    let effects = press(&mut m, ctrl('g'));
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::StartJob { .. }))
    );
    let said = m
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("Not sent"), "{said}");
    // Marked on the parameters at once, with the reason.
    assert!(screen(&m).contains("✗"), "{}", screen(&m));
    // Moving the selection changes nothing: the refusal stays.
    press(&mut m, key(KeyCode::Tab));
    assert!(m.status.is_some());
    m.params.values.output_format = Some("png".into());
    press(&mut m, key(KeyCode::Down));
    assert_eq!(m.status, None, "fixed: the stale line is gone");
}

#[test]
fn reading_the_gallery_is_said_until_it_is_read() {
    let mut m = model((80, 24));
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Tab));
    let effects = press(&mut m, ctrl('r'));
    assert!(matches!(&effects[..], [Effect::LoadGallery]));
    assert!(m.status.as_ref().unwrap().text.contains("Reading"));
    act(&mut m, Action::Gallery(GalleryResult::Loaded(Vec::new())));
    assert_eq!(m.status, None);
}

#[test]
fn parameters_are_kept_when_chosen_and_the_draft_at_quit() {
    let mut m = model((80, 24));
    type_text(&mut m, "half a thought");
    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Down));
    press(&mut m, key(KeyCode::Down));
    let effects = press(&mut m, key(KeyCode::Right));
    let saved = effects.iter().find_map(|e| match e {
        Effect::SaveState(state) => Some(state.clone()),
        _ => None,
    });
    let saved = saved.expect("a changed parameter is saved at once");
    assert_eq!(saved.params["gpt-image-2"], m.params.values);
    assert_eq!(saved.draft, "half a thought");
    // Moving between rows changes no value, and writes nothing.
    let effects = press(&mut m, key(KeyCode::Down));
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveState(_))));
    assert_eq!(artty::update::app_state(&m).draft, "half a thought");
}
