//! An edit made in the app, carried out for real: the model's effects run
//! on the effect runner against the fake server on loopback and the
//! results come back through `update`. The server sees the multipart form
//! the API wants (fields, `image[]` in order, the mask, MIME types); the
//! partial images stream into the job; the result lands with its lineage
//! and its mask on disk.

use crate::app_common;
use crate::common;

use std::time::Duration;

use artty::action::{Action, JobResult};
use artty::api::Endpoint;
use artty::edit::{MaskEdits, MaskGrid};
use artty::effect::Effect;
use artty::effect::runner::Runner;
use artty::images::probe::ImageFormat;
use artty::keymap::Command;
use artty::model::Model;
use artty::model::edit::{DraftMask, EditDraft};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

struct Rig {
    runner: Runner,
    actions: UnboundedReceiver<Action>,
    _home: tempfile::TempDir,
}

fn rig(base_url: &str, home: tempfile::TempDir) -> Rig {
    let (tx, actions) = unbounded_channel();
    let setup = common::runner_setup(base_url, home.path(), 2);
    Rig {
        runner: Runner::new(setup, tx).unwrap(),
        actions,
        _home: home,
    }
}

/// Runs effects and feeds results back until `done` holds; returns every
/// action seen.
async fn drive(
    model: &mut Model,
    rig: &mut Rig,
    effects: Vec<Effect>,
    done: impl Fn(&Model) -> bool,
) -> Vec<Action> {
    let mut seen = Vec::new();
    for effect in effects {
        rig.runner.run(effect);
    }
    while !done(model) {
        let action = tokio::time::timeout(Duration::from_secs(30), rig.actions.recv())
            .await
            .expect("an action within 30 s")
            .expect("the runner is alive");
        seen.push(action.clone());
        for effect in artty::update::update(model, action) {
            rig.runner.run(effect);
        }
    }
    seen
}

#[tokio::test]
async fn an_edit_from_the_app_reaches_the_server_as_the_api_wants_and_lands_with_its_lineage() {
    let server = common::fake().await;
    let home = tempfile::tempdir().unwrap();
    let fox = home.path().join("fox.png");
    let hat = home.path().join("hat.jpg");
    std::fs::write(&fox, common::image_bytes(300, 200, ImageFormat::Png, false)).unwrap();
    std::fs::write(&hat, common::image_bytes(64, 64, ImageFormat::Jpeg, false)).unwrap();
    let mut rig = rig(&server.base_url(), home);

    let mut model = app_common::model((120, 40));
    let prompt = "the hat of image 2 on the fox of image 1";
    model.prompt.set_content(prompt);
    let values = &mut model.params.values;
    // gpt-image-2 takes no input_fidelity (the SDK says to omit it); 2.5 may.
    values.model = "gpt-image-2.5-flare".into();
    values.size = Some("1024x1024".into());
    values.quality = Some("low".into());
    values.stream = Some(true);
    values.partial_images = Some(2);
    values.input_fidelity = Some("high".into());
    let mut draft = EditDraft::new(Endpoint::Edits, vec![fox.clone(), hat.clone()]);
    let mut grid = MaskGrid::new(10, 10);
    grid.rect((0, 0), (4, 9), true);
    draft.mask = Some(DraftMask {
        edits: MaskEdits::new(grid),
        file: None,
        touched: true,
    });
    model.edit = Some(draft);

    let effects = artty::update::update(&mut model, Action::Run(Command::Generate));
    let seen = drive(&mut model, &mut rig, effects, |m| {
        !m.gallery.images.is_empty()
    })
    .await;

    assert!(
        seen.iter().any(|a| matches!(
            a,
            Action::Job(JobResult::StageChanged {
                stage: artty::model::jobs::Stage::Partial { .. },
                ..
            })
        )),
        "partial images reached the job: {seen:?}"
    );
    let requests = server.requests();
    let edit = requests
        .iter()
        .find(|r| r.path.ends_with("/images/edits"))
        .expect("an edit request");
    let files: Vec<(&str, &str, &str)> = edit
        .files
        .iter()
        .map(|f| {
            (
                f.field.as_str(),
                f.file_name.as_deref().unwrap_or(""),
                f.content_type.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        files,
        vec![
            ("image[]", "fox.png", "image/png"),
            ("image[]", "hat.jpg", "image/jpeg"),
            ("mask", "mask.png", "image/png"),
        ]
    );
    assert_eq!(
        edit.files[0].bytes,
        std::fs::read(&fox).unwrap(),
        "sent as it is"
    );
    assert_eq!(edit.field("prompt"), Some(prompt));
    assert_eq!(edit.field("model"), Some("gpt-image-2.5-flare"));
    assert_eq!(edit.field("input_fidelity"), Some("high"));
    assert_eq!(edit.field("stream"), Some("true"));
    assert_eq!(edit.field("partial_images"), Some("2"));
    let mask = image::load_from_memory(&edit.files[2].bytes)
        .unwrap()
        .into_rgba8();
    assert_eq!(mask.dimensions(), (300, 200), "the mask is image 1's size");
    assert_eq!(mask.get_pixel(10, 100).0[3], 0, "painted: to edit");
    assert_eq!(mask.get_pixel(290, 100).0[3], 255, "not painted: kept");

    let result = &model.gallery.images[0];
    let sidecar = &result.sidecar;
    assert_eq!(sidecar.endpoint, Endpoint::Edits);
    let sources: Vec<&str> = sidecar.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        sources,
        vec![fox.display().to_string(), hat.display().to_string()]
    );
    assert_eq!(
        (sidecar.sources[1].format.as_str(), sidecar.sources[0].width),
        ("jpeg", 300)
    );
    let kept = sidecar.mask.as_ref().expect("the mask is recorded");
    let kept = std::fs::read(&kept.path).expect("and saved beside the image");
    assert_eq!(image::load_from_memory(&kept).unwrap().width(), 300);
    assert!(sidecar.fit.is_some());
    assert!(result.path.is_file());
    assert!(model.edit.is_some(), "the edit stays open for another try");
}

/// A path typed with `a` joins the sources only once the worker has read
/// it as an image: a missing file and a text file are refused with the
/// reason, and the list stays as it was.
#[tokio::test]
async fn a_typed_source_that_is_not_an_image_is_not_added() {
    let home = tempfile::tempdir().unwrap();
    let fox = home.path().join("fox.png");
    let notes = home.path().join("notes.png");
    let hat = home.path().join("hat.jpg");
    std::fs::write(&fox, common::image_bytes(64, 64, ImageFormat::Png, false)).unwrap();
    std::fs::write(&notes, "shopping list, not a picture").unwrap();
    std::fs::write(&hat, common::image_bytes(64, 64, ImageFormat::Jpeg, false)).unwrap();
    let missing = home.path().join("missing.png");
    let mut rig = rig("http://127.0.0.1:9", tempfile::tempdir().unwrap());
    let mut model = app_common::model((120, 40));
    model.edit = Some(EditDraft::new(Endpoint::Edits, vec![fox.clone()]));
    model.overlay = Some(artty::model::Overlay::Edit);

    for (path, added) in [(&missing, false), (&notes, false), (&hat, true)] {
        let before = model.status.as_ref().map(|s| s.text.clone());
        let mut effects = artty::update::update(&mut model, Action::Run(Command::AddSource));
        app_common::type_text(&mut model, &path.display().to_string());
        effects.extend(app_common::press(
            &mut model,
            app_common::key(crossterm::event::KeyCode::Enter),
        ));
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::CheckSource(p) if p == path)),
            "{effects:?}"
        );
        drive(&mut model, &mut rig, effects, |m| {
            m.status.as_ref().map(|s| s.text.clone()) != before
        })
        .await;
        let status = model.status.as_ref().unwrap().text.clone();
        let sources = &model.edit.as_ref().unwrap().sources;
        if added {
            assert_eq!(sources, &vec![fox.clone(), hat.clone()], "{status}");
            assert!(status.starts_with("Added as image 2"), "{status}");
        } else {
            assert_eq!(sources, &vec![fox.clone()], "{status}");
            assert!(
                status.starts_with("Not added: ") && status.contains(&path.display().to_string()),
                "{status}"
            );
        }
    }
}
