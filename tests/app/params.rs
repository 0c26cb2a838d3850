//! The parameters panel for today's models through `update`: only what
//! the model and format allow is offered, and a value the table refuses
//! is marked on its row with the reason as soon as it is chosen.

use crate::app_common;

use app_common::*;
use artty::action::KeyResult;
use artty::model::params::Field;
use crossterm::event::KeyCode;

const FLARE: &str = "gpt-image-2.6-flare";

fn focus_params(m: &mut artty::model::Model) {
    press(m, key(KeyCode::Tab));
}

fn choose(m: &mut artty::model::Model, field: Field, value: &str) {
    m.params.set(field, Some(value.into()));
    // Any action brings the check up to date, as in the app.
    act(m, artty::action::Action::Tick);
}

#[test]
fn gif_and_svg_bring_their_own_rows_and_hide_streaming() {
    let mut m = model((160, 48));
    m.params.set_model(FLARE);
    let catalog = m.session.catalog.clone();
    let fields = m.params.fields(&catalog);
    assert!(fields.contains(&Field::Complexity) && fields.contains(&Field::Stream));
    assert!(!fields.contains(&Field::Frames));
    let qualities = m.params.choices(Field::Quality, catalog.get(FLARE));
    assert!(qualities.contains(&Some("max".into())), "{qualities:?}");

    m.params.set(Field::Stream, Some("true".into()));
    choose(&mut m, Field::OutputFormat, "gif");
    let fields = m.params.fields(&catalog);
    assert!(fields.contains(&Field::Frames) && fields.contains(&Field::FrameMs));
    assert!(!fields.contains(&Field::Stream), "GIF output cannot stream");
    assert_eq!(
        m.params.values.stream, None,
        "streaming was turned off, so it is not sent"
    );
    let frames = m.params.choices(Field::Frames, catalog.get(FLARE));
    assert_eq!(frames.len(), 1 + 15, "default, then 2 to 16");

    choose(&mut m, Field::OutputFormat, "svg");
    let fields = m.params.fields(&catalog);
    assert!(fields.contains(&Field::SvgModel) && fields.contains(&Field::SvgEffort));
    assert_eq!(
        m.params.values.frame_count, None,
        "GIF rows left with the format"
    );
    m.params.set(Field::Count, Some("3".into()));
    assert_eq!(m.params.values.n, None, "SVG makes one image");

    m.params.set_model("gpt-image-2");
    let qualities = m.params.choices(Field::Quality, catalog.get("gpt-image-2"));
    assert!(!qualities.contains(&Some("max".into())), "{qualities:?}");
}

#[test]
fn a_gif_sheet_too_large_is_marked_at_once_and_not_sent() {
    let mut m = model((160, 48));
    m.params.set_model(FLARE);
    choose(&mut m, Field::OutputFormat, "gif");
    choose(&mut m, Field::Frames, "12");
    choose(&mut m, Field::Size, "1024x1024");
    let problem = m.params.problem(Field::Size).expect("the size is marked");
    assert!(
        problem.message.contains("at most 816x816"),
        "{}",
        problem.message
    );
    assert!(screen(&m).contains("at most 816x816"), "{}", screen(&m));
    m.prompt.set_content("a ball");
    let effects = act(
        &mut m,
        artty::action::Action::Run(artty::keymap::Command::Generate),
    );
    assert!(effects.is_empty(), "nothing is sent");
    choose(&mut m, Field::Frames, "4");
    choose(&mut m, Field::Size, "auto");
    assert!(m.params.problems.is_empty(), "{:?}", m.params.problems);
    choose(&mut m, Field::FrameMs, "120");
    assert!(
        m.params
            .summary(&m.session.catalog)
            .contains("4 frames · 120 ms")
    );
}

#[test]
fn params_gif_snapshots() {
    for size in [(80, 24), (160, 48)] {
        let mut m = model(size);
        m.params.set_model(FLARE);
        focus_params(&mut m);
        choose(&mut m, Field::OutputFormat, "gif");
        choose(&mut m, Field::Frames, "12");
        choose(&mut m, Field::Size, "1024x1024");
        insta::assert_snapshot!(format!("params_gif_{}x{}", size.0, size.1), screen(&m));
    }
}

#[test]
fn a_snapshot_the_server_lists_is_offered_and_takes_its_model_s_parameters() {
    let mut m = model((160, 48));
    let names = vec![
        "gpt-image-2.5-flare-2026-09-08".to_string(),
        "flux-dev".to_string(),
    ];
    act(
        &mut m,
        artty::action::Action::Key(KeyResult::ModelsListed(names.clone())),
    );
    let entries = artty::model::picker::entries(&m.session.catalog, &names, "", m.session.today);
    let badge = |name: &str| {
        entries
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.badge.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        badge("gpt-image-2.5-flare-2026-09-08"),
        "snapshot of gpt-image-2.5-flare"
    );
    assert_eq!(
        badge("flux-dev"),
        "listed by the server, not in the model table"
    );
    m.params.set_model("gpt-image-2.5-flare-2026-09-08");
    let catalog = m.session.catalog.clone();
    let qualities = m
        .params
        .choices(Field::Quality, catalog.get(m.params.model()));
    assert!(qualities.contains(&Some("max".into())), "{qualities:?}");
}

#[test]
fn during_an_edit_input_fidelity_is_checked_as_an_edit_would_be() {
    let mut m = model((160, 48));
    m.params.set_model("gpt-image-2.5-flare");
    m.edit = Some(artty::model::edit::EditDraft::new(
        artty::api::Endpoint::Edits,
        vec!["/tmp/photo.png".into()],
    ));
    choose(&mut m, Field::InputFidelity, "high");
    assert!(m.params.for_edit);
    assert!(m.params.problems.is_empty(), "{:?}", m.params.problems);
    assert!(
        m.params
            .notes
            .iter()
            .any(|n| n.contains("input_fidelity is not confirmed")),
        "{:?}",
        m.params.notes
    );
    // gpt-image-2 takes none: marked on its row.
    m.params.values.model = "gpt-image-2".into();
    act(&mut m, artty::action::Action::Tick);
    let problem = m.params.problem(Field::InputFidelity).expect("marked");
    assert!(
        problem.message.contains("does not take input_fidelity"),
        "{}",
        problem.message
    );
}
