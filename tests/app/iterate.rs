//! Iterating at speed, through the app's update function: search and
//! favourites, sweeps, compare, families, batch files and the cost line,
//! with snapshots of the views at 80×24 and 160×48.

use crate::app_common;

use app_common::*;
use artty::action::{Action, FileResult, GalleryResult};
use artty::api::cost::{Cost, CostBasis};
use artty::effect::Effect;
use artty::model::batches::BatchStep;
use artty::model::{Model, Overlay, Panel};
use artty::store::sidecar::{Group, GroupKind, SavedImage};
use crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, build: impl Fn(&mut Model)) {
    for size in SIZES {
        let mut m = model(size);
        build(&mut m);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), screen(&m));
    }
}

fn image(prompt: &str, minutes: i64, model_name: &str) -> SavedImage {
    let mut image = saved(prompt, minutes);
    image.sidecar.model = model_name.into();
    image.sidecar.params.model = model_name.into();
    image
}

/// Five images over two models, one a favourite, one a reuse of another.
fn gallery(m: &mut Model) {
    let mut fox = image("a red fox in snow", 50, "gpt-image-1");
    fox.sidecar.favourite = true;
    fox.sidecar.cost = Some(Cost {
        usd: 0.167,
        basis: CostBasis::Usage,
        svg_unpriced: false,
        batch: false,
    });
    let mut grey = image("a grey fox in deep snow", 60, "gpt-image-1");
    grey.sidecar.reused_from = Some(fox.path.display().to_string());
    grey.sidecar.params.quality = Some("low".into());
    let images = vec![
        grey,
        image("a lighthouse at dusk", 40, "dall-e-3"),
        fox,
        image("an owl librarian", 30, "gpt-image-2"),
        image("a paper crane", 20, "dall-e-3"),
    ];
    act(m, Action::Gallery(GalleryResult::Loaded(images)));
}

fn in_gallery(m: &mut Model) {
    m.focus = Panel::Gallery;
    m.editing = false;
    m.prompt.set_editing(false);
}

fn prompts(m: &Model) -> Vec<String> {
    m.gallery
        .listed_images()
        .map(|i| i.sidecar.prompt.clone().unwrap_or_default())
        .collect()
}

#[test]
fn search_filters_as_typed_enter_keeps_and_esc_clears() {
    let mut m = model((120, 40));
    gallery(&mut m);
    in_gallery(&mut m);
    press(&mut m, key(KeyCode::Char('/')));
    assert!(m.typing(), "the search field has the keys");
    type_text(&mut m, "fox");
    assert_eq!(
        prompts(&m),
        ["a grey fox in deep snow", "a red fox in snow"]
    );
    type_text(&mut m, " -grey");
    assert_eq!(prompts(&m), ["a red fox in snow"]);
    press(&mut m, key(KeyCode::Enter));
    assert!(!m.typing());
    assert_eq!(m.gallery.listed(), 1, "Enter keeps the search");
    // `/` again and Esc puts the kept search back.
    press(&mut m, key(KeyCode::Char('/')));
    press(&mut m, ctrl('u'));
    type_text(&mut m, "zzz");
    assert_eq!(m.gallery.listed(), 0);
    press(&mut m, key(KeyCode::Esc));
    assert_eq!(m.gallery.query.text, "fox -grey");
    // Esc in the gallery clears it.
    press(&mut m, key(KeyCode::Esc));
    assert_eq!(m.gallery.listed(), 5);
    // Ctrl+W takes back a word.
    press(&mut m, key(KeyCode::Char('/')));
    type_text(&mut m, "red fox");
    press(&mut m, ctrl('w'));
    assert_eq!(m.gallery.query.text, "red ");
    press(&mut m, key(KeyCode::Esc));
    press(&mut m, key(KeyCode::Esc));
    // Ctrl+R reads the folder again.
    assert!(matches!(
        &press(&mut m, ctrl('r'))[..],
        [Effect::LoadGallery]
    ));
    // Filters: model, favourites, sort by model.
    press(&mut m, key(KeyCode::Char('/')));
    type_text(&mut m, "m:dall");
    assert_eq!(m.gallery.listed(), 2);
    press(&mut m, ctrl('u'));
    type_text(&mut m, "fav");
    assert_eq!(prompts(&m), ["a red fox in snow"]);
    press(&mut m, key(KeyCode::Enter));
    press(&mut m, key(KeyCode::Esc));
    press(&mut m, key(KeyCode::Char('s')));
    press(&mut m, key(KeyCode::Char('s')));
    let models: Vec<String> = m
        .gallery
        .listed_images()
        .map(|i| i.sidecar.model.clone())
        .collect();
    assert_eq!(
        models,
        [
            "dall-e-3",
            "dall-e-3",
            "gpt-image-1",
            "gpt-image-1",
            "gpt-image-2"
        ]
    );
}

#[test]
fn a_favourite_is_shown_at_once_and_written_behind() {
    let mut m = model((120, 40));
    gallery(&mut m);
    in_gallery(&mut m);
    press(&mut m, key(KeyCode::Down));
    let effects = press(&mut m, key(KeyCode::Char('f')));
    let [Effect::SaveSidecar(saved)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert!(saved.sidecar.favourite);
    assert_eq!(
        saved.sidecar.prompt.as_deref(),
        Some("a lighthouse at dusk")
    );
    // If writing fails, the mark is taken back and the user told.
    act(
        &mut m,
        Action::Gallery(GalleryResult::FavouriteNotSaved {
            path: saved.path.clone(),
            error: "read-only".into(),
        }),
    );
    assert!(!m.gallery.image(&saved.path).unwrap().sidecar.favourite);
    assert!(m.status.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn search_snapshot() {
    snap("search", |m| {
        gallery(m);
        in_gallery(m);
        press(m, key(KeyCode::Char('/')));
        type_text(m, "fox is:bogus");
    });
}

fn sweep_two_models_two_qualities(m: &mut Model) {
    m.focus = Panel::Params;
    m.editing = false;
    m.prompt.set_content("a red fox");
    // The model row: gpt-image-2 is shown; add it, step to gpt-image-1-mini, add it.
    press(m, key(KeyCode::Char('w')));
    press(m, key(KeyCode::Right));
    while m.params.model() != "gpt-image-1-mini" {
        press(m, key(KeyCode::Right));
    }
    press(m, key(KeyCode::Char('w')));
    press(m, key(KeyCode::Down)); // size
    press(m, key(KeyCode::Down)); // quality
    for _ in 0..2 {
        press(m, key(KeyCode::Right));
        press(m, key(KeyCode::Char('w')));
    }
}

#[test]
fn a_sweep_sends_every_cell_in_one_group() {
    let mut m = model((160, 48));
    sweep_two_models_two_qualities(&mut m);
    let sweep = m.sweep.clone().expect("a sweep");
    assert_eq!(sweep.models, ["gpt-image-2", "gpt-image-1-mini"]);
    assert_eq!(sweep.qualities.len(), 2);
    let effects = press(&mut m, ctrl('g'));
    let starts: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartJob {
                request, record, ..
            } => Some((request, record)),
            _ => None,
        })
        .collect();
    assert_eq!(starts.len(), 4, "{:?}", m.status);
    let groups: Vec<&Group> = starts
        .iter()
        .filter_map(|(_, r)| r.group.as_ref())
        .collect();
    assert_eq!(groups.len(), 4);
    assert!(
        groups
            .iter()
            .all(|g| g.kind == GroupKind::Sweep && g.id == groups[0].id)
    );
    let cells: Vec<(String, Option<String>)> = starts
        .iter()
        .map(|(q, _)| {
            let p = &q.request().params;
            (p.model.clone(), p.quality.clone())
        })
        .collect();
    assert!(
        cells.contains(&("gpt-image-1-mini".into(), Some("low".into()))),
        "{cells:?}"
    );
    assert!(
        starts
            .iter()
            .all(|(q, _)| q.request().params.prompt.as_deref() == Some("a red fox"))
    );
    // Prices travel with each cell, each its own model's.
    let outputs: Vec<Option<f64>> = starts
        .iter()
        .map(|(_, r)| r.prices.as_ref().and_then(|p| p.image_output))
        .collect();
    assert!(
        outputs.contains(&Some(8.0)),
        "gpt-image-1-mini: {outputs:?}"
    );
    assert!(outputs.contains(&Some(30.0)), "gpt-image-2: {outputs:?}");
}

#[test]
fn a_sweep_cell_the_model_refuses_is_skipped_and_named() {
    let mut m = model((160, 48));
    m.focus = Panel::Params;
    m.editing = false;
    m.prompt.set_content("a red fox");
    // dall-e-3 with a size only GPT image models take (and shut down on OpenAI).
    m.params.set_model("gpt-image-1-mini");
    m.params.values.size = Some("1536x1024".into());
    press(&mut m, key(KeyCode::Down));
    press(&mut m, key(KeyCode::Char('w')));
    m.sweep.as_mut().unwrap().models = vec!["gpt-image-1-mini".into(), "dall-e-3".into()];
    let effects = press(&mut m, ctrl('g'));
    let started = effects
        .iter()
        .filter(|e| matches!(e, Effect::StartJob { .. }))
        .count();
    assert_eq!(started, 1);
    let status = &m.status.as_ref().unwrap().text;
    assert!(
        status.contains("skipped") && status.contains("dall-e-3 1536x1024"),
        "{status}"
    );
}

#[test]
fn cost_line_snapshot() {
    snap("cost_line", |m| {
        gallery(m);
        sweep_two_models_two_qualities(m);
        // Only priced models: the estimate is a sum, shown in the Generate hint.
        m.sweep.as_mut().unwrap().models = vec!["gpt-image-1-mini".into(), "gpt-image-1.5".into()];
    });
    let mut m = model((160, 48));
    m.prompt.set_content("a red fox");
    m.params.set_model("dall-e-3");
    m.params.values.quality = Some("hd".into());
    m.params.values.size = Some("1792x1024".into());
    assert!(screen(&m).contains("generate ~$0.12"), "{}", screen(&m));
    m.params.set_model("gpt-image-2");
    assert!(screen(&m).contains("generate ~$0.0"), "{}", screen(&m));
    // A model the table has no price for says so, never $0.
    m.params.set_model("chatgpt-image-latest");
    assert!(screen(&m).contains("generate cost unknown"));
}

fn mark_two_and_compare(m: &mut Model) {
    gallery(m);
    in_gallery(m);
    press(m, key(KeyCode::Char(' ')));
    press(m, key(KeyCode::Down));
    press(m, key(KeyCode::Char(' ')));
    press(m, key(KeyCode::Char('c')));
}

#[test]
fn compare_lists_the_differences() {
    let mut m = model((160, 48));
    // With nothing marked, c on the reuse compares it with its parent.
    gallery(&mut m);
    in_gallery(&mut m);
    press(&mut m, key(KeyCode::Char('c')));
    let Some(Overlay::Compare(compare)) = &m.overlay else {
        panic!("no compare: {:?}", m.status)
    };
    assert_eq!(compare.paths.len(), 2);
    let text = screen(&m);
    assert!(
        text.contains("+grey") && text.contains("-red") && text.contains("+deep"),
        "{text}"
    );
    assert!(text.contains("quality  high  │ low"), "{text}");
    press(&mut m, key(KeyCode::Char('q')));
    assert!(m.overlay.is_none());
}

#[test]
fn compare_snapshot() {
    snap("compare", mark_two_and_compare);
}

#[test]
fn a_sweep_result_compares_its_sweep() {
    let mut m = model((160, 48));
    let cells: Vec<SavedImage> = ["gpt-image-1 low", "gpt-image-1 high", "dall-e-3 hd"]
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut image = image("a red fox", 10 - i as i64, "gpt-image-1");
            image.sidecar.group = Some(Group {
                kind: GroupKind::Sweep,
                id: "sweep-1".into(),
                item: Some(item.to_string()),
            });
            image
        })
        .collect();
    act(&mut m, Action::Gallery(GalleryResult::Loaded(cells)));
    in_gallery(&mut m);
    press(&mut m, key(KeyCode::Char('c')));
    let Some(Overlay::Compare(compare)) = &m.overlay else {
        panic!("no compare")
    };
    assert_eq!(compare.paths.len(), 3);
}

fn family_open(m: &mut Model) {
    gallery(m);
    in_gallery(m);
    // An edit of the grey fox, so the tree has three generations.
    let grey = m.gallery.images[0].path.display().to_string();
    let mut edit = image("the grey fox with a hat", 70, "gpt-image-1");
    edit.sidecar.endpoint = artty::api::Endpoint::Edits;
    edit.sidecar.sources = vec![artty::store::sidecar::SourceRef {
        path: grey,
        format: "png".into(),
        width: 1536,
        height: 1024,
    }];
    m.gallery.add_images(vec![edit]);
    press(m, key(KeyCode::Char('t')));
}

#[test]
fn the_family_tree_goes_from_the_oldest_ancestor_down() {
    let mut m = model((160, 48));
    family_open(&mut m);
    let Some(Overlay::Family(view)) = &m.overlay else {
        panic!("no family: {:?}", m.status)
    };
    let tree: Vec<(usize, &str)> = view
        .lines
        .iter()
        .map(|l| (l.depth, l.relation.as_str()))
        .collect();
    assert_eq!(tree, [(0, "new"), (1, "reuse"), (2, "edit")]);
    assert_eq!(view.selected, 2, "opened on the edit");
    press(&mut m, key(KeyCode::Up));
    press(&mut m, key(KeyCode::Up));
    press(&mut m, key(KeyCode::Enter));
    assert!(m.overlay.is_none());
    let Some(artty::model::gallery::Row::Image(selected)) = m.gallery.selected_row(&m.jobs) else {
        panic!()
    };
    assert_eq!(
        selected.sidecar.prompt.as_deref(),
        Some("a red fox in snow")
    );
}

#[test]
fn family_snapshot() {
    snap("family", family_open);
}

#[test]
fn a_batch_file_runs_its_lines_and_skips_done_ones() {
    let mut m = model((160, 48));
    in_gallery(&mut m);
    let path = std::path::PathBuf::from("/tmp/artty-test-batch.txt");
    let text = "a red fox\n{\"prompt\": \"a hat\", \"model\": \"gpt-image-1-mini\", \"size\": \"1024x1024\"}\n{\"prompt\": 3}\n{\"prompt\": \"wide\", \"size\": \"4000x1000\"}\n";
    let effects = act(
        &mut m,
        Action::File(FileResult::BatchRead {
            path: path.clone(),
            id: artty::batch::batch_id(&path),
            result: Ok(text.into()),
            waiting: Default::default(),
            step: BatchStep::RunHere,
        }),
    );
    let records: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartJob { record, .. } => Some(record.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(records.len(), 2);
    // Each line that is not sent says why, in the app too.
    let said = &m.status.as_ref().unwrap().text;
    assert!(said.contains("2 not valid: line 3: "), "{said}");
    assert!(
        said.contains("line 4: ") && said.contains("4000x1000"),
        "{said}"
    );
    // The first line's image is saved: running the file again sends the other only.
    let mut done = image("a red fox", 5, "gpt-image-2");
    done.sidecar.group = records[0].group.clone();
    let mut m = model((160, 48));
    act(&mut m, Action::Gallery(GalleryResult::Loaded(vec![done])));
    let effects = act(
        &mut m,
        Action::File(FileResult::BatchRead {
            id: artty::batch::batch_id(&path),
            path,
            result: Ok(text.into()),
            waiting: Default::default(),
            step: BatchStep::RunHere,
        }),
    );
    let sent = started_prompts(&effects);
    assert_eq!(sent, ["a hat"]);
    assert!(m.status.as_ref().unwrap().text.contains("1 already done"));
}

#[test]
fn export_takes_the_marked_images_or_the_search() {
    let mut m = model((160, 48));
    gallery(&mut m);
    in_gallery(&mut m);
    press(&mut m, key(KeyCode::Char('/')));
    type_text(&mut m, "fox");
    press(&mut m, key(KeyCode::Enter));
    press(&mut m, key(KeyCode::Char('E')));
    assert!(matches!(m.overlay, Some(Overlay::PathField(_))));
    assert!(screen(&m).contains("Export 2 image(s)"));
    press(&mut m, ctrl('u'));
    type_text(&mut m, "/tmp/out");
    let effects = press(&mut m, key(KeyCode::Enter));
    let [Effect::Export { images, folder }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(images.len(), 2);
    assert_eq!(folder, &std::path::PathBuf::from("/tmp/out"));
}
