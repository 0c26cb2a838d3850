//! The painter's markup mode through `update`: keys become strokes, arrows
//! and boxes in colour; the marks go to the worker to prepare, then out
//! with the edit as `markup` and into the sidecar; never with a mask.

use crate::app_common;

use app_common::painting::*;
use app_common::*;
use artty::edit::{Mark, MarkColour};
use artty::effect::Effect;
use artty::keymap::Command;
use artty::model::Model;

/// The painter open on image 1 with its mask cleared, in markup mode.
fn marking(size: (u16, u16)) -> Model {
    let mut m = painter_model(size);
    keys(&mut m, "c");
    act(&mut m, artty::action::Action::Run(Command::MarkupMode));
    assert!(draft(&m).marking);
    m
}

fn marks(m: &Model) -> Vec<Mark> {
    draft(m)
        .markup
        .as_ref()
        .map(|mk| mk.marks.clone())
        .unwrap_or_default()
}

#[test]
fn keys_draw_arrows_boxes_and_strokes_in_the_chosen_colour() {
    let mut m = marking((120, 40));
    let start = draft(&m).brush.cursor;
    keys(&mut m, "alllla");
    keys(&mut m, "njrjjjllr");
    keys(&mut m, "n u");
    let got = marks(&m);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        got[0],
        Mark::Arrow {
            from: start,
            to: (start.0 + 4, start.1),
            colour: MarkColour::Red
        }
    );
    assert!(
        matches!(
            got[1],
            Mark::Frame {
                colour: MarkColour::Yellow,
                ..
            }
        ),
        "{got:?}"
    );
    // u took back the last dot; p draws as the cursor moves.
    keys(&mut m, "pjjjp");
    match marks(&m).last() {
        Some(Mark::Stroke { points, colour }) => {
            assert_eq!(*colour, MarkColour::Green);
            assert_eq!(points.len(), 4, "{points:?}");
        }
        other => panic!("a stroke: {other:?}"),
    }
}

#[test]
fn the_marks_are_prepared_sent_as_markup_and_kept_with_the_result() {
    let mut m = marking((120, 40));
    keys(&mut m, "alllla");
    let effects = press(&mut m, key(crossterm::event::KeyCode::Enter));
    let status = m.status.as_ref().unwrap().text.clone();
    assert!(status.contains("1 mark(s) go as markup"), "{status}");
    let asked = effects.iter().find_map(|e| match e {
        Effect::PrepareEdit(inputs) => Some(inputs.clone()),
        _ => None,
    });
    let asked = asked.expect("the inputs are prepared again");
    assert_eq!(asked.markup.as_ref().map(|mk| mk.marks.len()), Some(1));
    assert!(asked.mask.is_none(), "the cleared mask is not sent");
    prepared(&mut m);
    let panel = screen(&m);
    assert!(
        panel.contains("markup 1 mark(s)") && panel.contains("drawn over image 1"),
        "{panel}"
    );
    m.prompt.set_content("the red arrow: move the fox there");
    let effects = act(&mut m, artty::action::Action::Run(Command::Generate));
    let (request, record) = effects
        .iter()
        .find_map(|e| match e {
            Effect::StartJob {
                request, record, ..
            } => Some((request.request().clone(), record.as_ref().clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("sent: {:?}", m.status));
    assert_eq!(
        request.markup.as_ref().map(|i| i.file_name.as_str()),
        Some("markup.png")
    );
    assert!(request.mask.is_none());
    assert!(
        record.markup_png.is_some(),
        "the markup is saved beside the result"
    );
}

#[test]
fn a_mask_and_markup_together_are_not_sent_and_say_why() {
    let mut m = painter_model((120, 40));
    act(&mut m, artty::action::Action::Run(Command::MarkupMode));
    let status = m.status.as_ref().unwrap().text.clone();
    assert!(status.contains("one or the other"), "{status}");
    keys(&mut m, " \n");
    prepared(&mut m);
    m.prompt.set_content("x");
    let effects = act(&mut m, artty::action::Action::Run(Command::Generate));
    assert!(!effects.iter().any(|e| matches!(e, Effect::StartJob { .. })));
    let status = m.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("markup cannot be combined with a mask"),
        "{status}"
    );
}

#[test]
fn markup_snapshots() {
    for size in [(80, 24), (160, 48)] {
        let mut m = marking(size);
        keys(&mut m, "alllla");
        keys(&mut m, "njrjjllr");
        keys(&mut m, "kka");
        insta::assert_snapshot!(format!("markup_{}x{}", size.0, size.1), screen(&m));
    }
}
