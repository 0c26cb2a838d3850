//! Edits through `update`: starting from the gallery, building a
//! several-image edit, the painter's key sequences and mouse turning into
//! mask state, what Ctrl+G sends, variations, lineage; and snapshots of
//! the edit panel and the painter.

use crate::app_common;

use app_common::painting::*;
use app_common::*;
use artty::action::{Action, FileResult, GalleryResult};
use artty::api::Endpoint;
use artty::edit::MaskGrid;
use artty::effect::Effect;
use artty::effect::MaskSpec;
use artty::model::edit::DraftMask;
use artty::model::{Model, Overlay, Panel};
use crossterm::event::KeyCode;

#[test]
fn e_opens_an_edit_of_the_selected_image_and_asks_for_its_inputs() {
    let mut m = gallery_model((120, 40));
    let effects = press(&mut m, key(KeyCode::Char('e')));
    assert_eq!(m.overlay, Some(Overlay::Edit));
    let inputs = prepare_effect(&effects).expect("inputs are prepared at once");
    assert_eq!(inputs.sources, vec![m.gallery.images[0].path.clone()]);
    assert_eq!(inputs.rules.max_images, 16, "gpt-image-2's rules");
    assert!(m.params.for_edit, "input fidelity shows in the parameters");
    // Nothing changed: nothing is asked again.
    assert!(prepare_effect(&act(&mut m, Action::Tick)).is_none());
}

#[test]
fn e_on_more_images_adds_them_in_order_and_k_j_reorder() {
    let mut m = gallery_model((120, 40));
    press(&mut m, key(KeyCode::Char('e')));
    press(&mut m, key(KeyCode::Esc));
    assert_eq!(m.overlay, None, "Esc closes the panel and keeps the edit");
    press(&mut m, key(KeyCode::Right));
    let effects = press(&mut m, key(KeyCode::Char('e')));
    let second = m.gallery.images[1].path.clone();
    assert_eq!(draft(&m).sources.len(), 2);
    assert_eq!(draft(&m).sources[1], second);
    assert!(m.status.as_ref().unwrap().text.contains("image 2"));
    assert!(
        prepare_effect(&effects).is_some(),
        "a new source is prepared"
    );
    press(&mut m, key(KeyCode::Char('K')));
    assert_eq!(draft(&m).sources[0], second, "moved to image 1");
    press(&mut m, key(KeyCode::Char('d')));
    assert_eq!(draft(&m).sources, vec![m.gallery.images[0].path.clone()]);
}

#[test]
fn dall_e_2_takes_one_image_and_variations_switch_to_a_model_that_serves_them() {
    let mut m = gallery_model((120, 40));
    m.params.set_model("dall-e-2");
    press(&mut m, key(KeyCode::Char('e')));
    press(&mut m, key(KeyCode::Esc));
    press(&mut m, key(KeyCode::Right));
    press(&mut m, key(KeyCode::Char('e')));
    assert_eq!(draft(&m).sources.len(), 1);
    assert!(m.status.as_ref().unwrap().text.contains("takes 1 image"));

    let mut m = gallery_model((120, 40));
    press(&mut m, key(KeyCode::Char('v')));
    // The variation goes to a model that serves it; the panel keeps the
    // user's choice, so a later generation or batch is not moved with it.
    assert_eq!(m.params.model(), "gpt-image-2");
    assert_eq!(draft(&m).model.as_deref(), Some("dall-e-2"));
    assert!(m.status.as_ref().unwrap().text.contains("dall-e-2"));
    assert!(draft(&m).is_variation());
    prepared(&mut m);
    let effects = press(&mut m, ctrl('g'));
    // dall-e-2 is shut down on OpenAI's own API: the check says so before sending.
    assert!(started(&effects).is_none());
    assert!(
        m.status.as_ref().unwrap().text.contains("shut down"),
        "{:?}",
        m.status
    );
    m.session.is_openai = false;
    let effects = press(&mut m, ctrl('g'));
    let (request, _) = started(&effects).expect("sent to a compatible server");
    assert_eq!(request.endpoint, Endpoint::Variations);
    assert_eq!(request.params.model, "dall-e-2");
    assert_eq!(request.params.prompt, None, "variations take no prompt");
    assert_eq!(request.images.len(), 1);
    assert_eq!(m.params.model(), "gpt-image-2", "still the panel's model");
}

#[test]
fn the_painter_turns_key_sequences_into_mask_cells() {
    let mut m = gallery_model((100, 30));
    open_painter(&mut m);
    let (cols, rows) = (grid(&m).cols, grid(&m).rows);
    let start = draft(&m).brush.cursor;
    assert_eq!(
        start,
        (cols / 2, rows / 2),
        "the cursor starts in the middle"
    );

    keys(&mut m, " ");
    assert_eq!(grid(&m).painted(), 1);
    assert!(grid(&m).get(start.0, start.1));
    keys(&mut m, "+ ");
    assert_eq!(grid(&m).painted(), 4, "a brush of 2 paints 2x2");
    keys(&mut m, "u");
    assert_eq!(grid(&m).painted(), 1, "undo");

    // A rectangle: r at one corner, r at the other.
    keys(&mut m, "clllljjr");
    assert_eq!(grid(&m).painted(), 0);
    keys(&mut m, "hhhkr");
    assert_eq!(grid(&m).painted(), 4 * 2);
    // Eraser pen: moving erases as it goes.
    keys(&mut m, "-ep");
    assert_eq!(grid(&m).painted(), 7);
    keys(&mut m, "l");
    assert_eq!(grid(&m).painted(), 6);
    keys(&mut m, "pe");
    keys(&mut m, "i");
    assert_eq!(
        grid(&m).painted(),
        usize::from(cols) * usize::from(rows) - 6
    );
    keys(&mut m, "c");
    assert!(grid(&m).is_empty());
    // Fill from an empty cell paints everything connected to it.
    keys(&mut m, "f");
    assert_eq!(grid(&m).painted(), usize::from(cols) * usize::from(rows));

    // Leaving the painter prepares the inputs again, with the painted mask.
    let effects = press(&mut m, key(KeyCode::Enter));
    assert_eq!(m.overlay, Some(Overlay::Edit));
    let inputs = prepare_effect(&effects).expect("the mask is prepared");
    assert!(
        matches!(&inputs.mask, Some(MaskSpec::Painted { grid, .. }) if grid.painted() == grid.cols as usize * grid.rows as usize)
    );
}

#[test]
fn the_mouse_paints_with_the_left_button_and_erases_with_the_right() {
    let mut m = gallery_model((100, 30));
    open_painter(&mut m);
    let rect = artty::layout::painter::picture_rect(&m).unwrap();
    let (x, y) = (rect.x + 3, rect.y + 2);
    act(
        &mut m,
        Action::Paint {
            column: x,
            row: y,
            erase: false,
        },
    );
    let cell = grid(&m).cell_at(3, 2, rect.width, rect.height);
    assert!(grid(&m).get(cell.0, cell.1));
    act(
        &mut m,
        Action::Paint {
            column: x,
            row: y,
            erase: true,
        },
    );
    assert!(grid(&m).is_empty());
    act(
        &mut m,
        Action::Paint {
            column: 0,
            row: 0,
            erase: false,
        },
    );
    assert!(grid(&m).is_empty(), "outside the picture nothing happens");
}

#[test]
fn ctrl_g_sends_the_edit_with_its_sources_in_order_and_the_mask() {
    let mut m = gallery_model((120, 40));
    type_in_prompt(&mut m, "put the hat from image 2 on the fox in image 1");
    press(&mut m, key(KeyCode::Char('e')));
    press(&mut m, key(KeyCode::Esc));
    press(&mut m, key(KeyCode::Right));
    press(&mut m, key(KeyCode::Char('e')));
    // Ctrl+G before the inputs are ready waits for them.
    assert!(started(&press(&mut m, ctrl('g'))).is_none());
    assert!(draft(&m).send_when_ready);
    let effects = prepared(&mut m);
    let (request, record) = started(&effects).expect("sent once prepared");
    assert_eq!(request.endpoint, Endpoint::Edits);
    assert_eq!(request.images.len(), 2);
    assert_eq!(request.images[0].file_name, "img-002.png");
    assert_eq!(request.images[1].file_name, "img-001.png");
    assert_eq!(
        request.params.prompt.as_deref(),
        Some("put the hat from image 2 on the fox in image 1")
    );
    assert_eq!(record.sources.len(), 2);
    assert_eq!(
        record.sources[0].path,
        m.gallery.images[0].path.display().to_string()
    );
    assert!(m.edit.is_some(), "the edit stays open to be sent again");
    assert_eq!(m.jobs.list.len(), 1);
    assert!(m.jobs.list[0].inputs.is_some(), "kept for a retry");
}

#[test]
fn a_masked_edit_records_the_painted_mask_for_its_sidecar() {
    let mut m = gallery_model((120, 40));
    type_in_prompt(&mut m, "a hat");
    open_painter(&mut m);
    keys(&mut m, " \n");
    prepared(&mut m);
    let effects = press(&mut m, ctrl('g'));
    let (request, record) = started(&effects).expect("sent");
    assert!(request.mask.is_some());
    assert!(record.mask_png.is_some());
    assert!(record.fit.is_some());
}

#[test]
fn p_goes_to_the_parent_backspace_comes_back_and_r_reloads_the_edit() {
    let dir = tempfile::tempdir().unwrap();
    let parent_path = dir.path().join("fox.png");
    std::fs::write(&parent_path, png(8, 8)).unwrap();
    let mask_path = dir.path().join("edit-mask.png");
    std::fs::write(&mask_path, png(8, 8)).unwrap();
    let mut parent = saved("a fox", 1);
    parent.path = parent_path.clone();
    let mut child = saved("a hat on the fox", 2);
    child.sidecar.endpoint = Endpoint::Edits;
    child.sidecar.sources = vec![artty::store::sidecar::SourceRef {
        path: parent_path.display().to_string(),
        format: "png".into(),
        width: 8,
        height: 8,
    }];
    child.sidecar.mask = Some(artty::store::sidecar::SourceRef {
        path: mask_path.display().to_string(),
        format: "png".into(),
        width: 8,
        height: 8,
    });
    let mut m = model((120, 40));
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(vec![
            child.clone(),
            saved("other", 0),
            parent,
        ])),
    );
    m.focus = Panel::Gallery;
    m.editing = false;
    press(&mut m, key(KeyCode::Char('p')));
    assert_eq!(m.gallery.selected, 2);
    press(&mut m, key(KeyCode::Backspace));
    assert_eq!(m.gallery.selected, 0);

    let effects = press(&mut m, key(KeyCode::Char('r')));
    assert_eq!(m.overlay, Some(Overlay::Edit));
    assert_eq!(draft(&m).sources, vec![parent_path]);
    assert_eq!(m.prompt.content(), "a hat on the fox");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadMask { path, .. } if *path == mask_path)),
        "{effects:?}"
    );
    let version = draft(&m).version;
    act(
        &mut m,
        Action::File(FileResult::MaskLoaded {
            path: mask_path.clone(),
            result: Ok(MaskGrid::new(4, 4)),
        }),
    );
    let d = draft(&m);
    assert!(d.version > version);
    assert!(
        matches!(&d.mask, Some(DraftMask { file: Some(p), touched: false, .. }) if *p == mask_path)
    );
}

#[test]
fn the_path_field_takes_typing_and_completions_and_esc_cancels_it() {
    let mut m = gallery_model((120, 40));
    press(&mut m, key(KeyCode::Char('e')));
    press(&mut m, key(KeyCode::Char('a')));
    assert!(m.typing(), "letters go into the path");
    let start = draft(&m).path_input.as_ref().unwrap().text.clone();
    keys(&mut m, "ph");
    let text = format!("{start}ph");
    let effects = press(&mut m, key(KeyCode::Tab));
    assert!(
        matches!(&effects[..], [Effect::CompletePath { text: t, any_file: false }] if *t == text)
    );
    act(
        &mut m,
        Action::File(FileResult::PathCompleted {
            text: text.clone(),
            completions: vec![format!("{start}photo-1.png"), format!("{start}photo-2.png")],
        }),
    );
    let input = draft(&m).path_input.as_ref().unwrap();
    assert_eq!(input.text.as_str(), format!("{start}photo-"));
    assert_eq!(input.completions.len(), 2);
    press(&mut m, key(KeyCode::Esc));
    assert!(draft(&m).path_input.is_none());
    assert_eq!(m.overlay, Some(Overlay::Edit), "Esc closed only the field");
    keys(&mut m, "D");
    assert!(m.edit.is_none());
    assert!(!m.params.for_edit);
}

fn type_in_prompt(m: &mut Model, text: &str) {
    m.focus = Panel::Prompt;
    m.editing = true;
    m.prompt.set_editing(true);
    type_text(m, text);
    press(m, key(KeyCode::Esc));
    m.focus = Panel::Gallery;
    m.editing = false;
}

fn started(
    effects: &[Effect],
) -> Option<(
    artty::api::ImageRequest,
    artty::store::sidecar::RequestRecord,
)> {
    effects.iter().find_map(|e| match e {
        Effect::StartJob {
            request, record, ..
        } => Some((request.request().clone(), record.as_ref().clone())),
        _ => None,
    })
}

#[test]
fn painter_snapshots() {
    for size in [(80, 24), (160, 48)] {
        let m = painter_model(size);
        insta::assert_snapshot!(format!("painter_{}x{}", size.0, size.1), screen(&m));
        let painted = screen_cells_tinted(&m);
        assert!(painted > 0, "painted cells are tinted at {size:?}");
        let mut cleared = m.clone();
        keys(&mut cleared, "c");
        assert_eq!(
            screen_cells_tinted(&cleared),
            0,
            "no mask, no red at {size:?}"
        );
    }
}

#[test]
fn edit_panel_snapshots() {
    for size in [(80, 24), (160, 48)] {
        let mut m = gallery_model(size);
        type_in_prompt(&mut m, "put the hat from image 2 on the fox in image 1");
        press(&mut m, key(KeyCode::Char('e')));
        press(&mut m, key(KeyCode::Esc));
        press(&mut m, key(KeyCode::Right));
        press(&mut m, key(KeyCode::Char('e')));
        prepared(&mut m);
        insta::assert_snapshot!(format!("edit_panel_{}x{}", size.0, size.1), screen(&m));
    }
}

/// Cells of the picture with the painter's red in them (the picture has none).
fn screen_cells_tinted(m: &Model) -> usize {
    let (width, height) = m.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| artty::ui::render(m, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let rect = artty::layout::painter::picture_rect(m).unwrap();
    let mut tinted = 0;
    for y in rect.top()..rect.bottom() {
        for x in rect.left()..rect.right() {
            if let ratatui::style::Color::Rgb(r, _, _) = buffer[(x, y)].bg
                && r >= 150
            {
                tinted += 1;
            }
        }
    }
    tinted
}
