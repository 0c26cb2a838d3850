//! The effect runner against the fake server on loopback: jobs report
//! their stages and land on disk before they are reported done, cancel
//! closes the connection, the journal holds exactly the requests in
//! flight, and key checks say what the server answered.

use crate::common;

use std::time::Duration;

use artty::action::{Action, JobResult, KeyResult};
use artty::api::ImageRequest;
use artty::effect::runner::Runner;
use artty::effect::{Effect, KeyCandidate};
use artty::fake::{FakeOptions, FakeServer, Fault};
use artty::model::jobs::{JobId, Stage};
use artty::store::sidecar::RequestRecord;
use common::{KEY, fake, params, small, valid};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

struct Rig {
    runner: Runner,
    actions: UnboundedReceiver<Action>,
    home: tempfile::TempDir,
}

fn rig(server: &FakeServer, slots: usize) -> Rig {
    let home = tempfile::tempdir().unwrap();
    let (tx, actions) = unbounded_channel();
    let setup = common::runner_setup(&server.base_url(), home.path(), slots);
    Rig {
        runner: Runner::new(setup, tx).unwrap(),
        actions,
        home,
    }
}

impl Rig {
    fn start(&mut self, id: u64, request: artty::api::ValidRequest) {
        let record = RequestRecord::new(
            request.request().endpoint,
            request.request().params.clone(),
            "loopback",
            None,
        );
        self.runner.run(Effect::StartJob {
            id: JobId(id),
            journal: format!("20261121-120000-1-{id:04}"),
            request: Box::new(request),
            record: Box::new(record),
        });
    }

    async fn next(&mut self) -> Action {
        tokio::time::timeout(Duration::from_secs(20), self.actions.recv())
            .await
            .expect("an action within 20 s")
            .expect("the runner is alive")
    }

    /// Actions until one matches, with every stage seen on the way.
    async fn until(&mut self, done: impl Fn(&Action) -> bool) -> (Action, Vec<Stage>) {
        let mut stages = Vec::new();
        loop {
            let action = self.next().await;
            if done(&action) {
                return (action, stages);
            }
            if let Action::Job(JobResult::StageChanged { stage, .. }) = action {
                stages.push(stage);
            }
        }
    }

    /// Waits until the request is on the wire (and its journal entry written).
    async fn until_sent(&mut self) {
        let sending = |a: &Action| {
            matches!(
                a,
                Action::Job(JobResult::StageChanged {
                    stage: Stage::Sending { .. },
                    ..
                })
            )
        };
        let _ = self.until(sending).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    fn journal_files(&self) -> usize {
        std::fs::read_dir(self.home.path().join("data/journal"))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                    .count()
            })
            .unwrap_or(0)
    }
}

#[tokio::test]
async fn a_job_reports_its_stages_and_its_images_are_on_disk_when_it_is_done() {
    let server = fake().await;
    let mut rig = rig(&server, 2);
    let mut p = params("gpt-image-2", "a streamed fox");
    p.stream = Some(true);
    p.partial_images = Some(2);
    p.size = Some("1024x1024".into());
    p.quality = Some("low".into());
    rig.start(1, valid(ImageRequest::generate(p)));
    let (done, stages) = rig
        .until(|a| {
            matches!(
                a,
                Action::Job(JobResult::Saved { .. }) | Action::Job(JobResult::Failed { .. })
            )
        })
        .await;
    let Action::Job(JobResult::Saved { id, images, .. }) = done else {
        panic!("{done:?}")
    };
    assert_eq!(id, JobId(1));
    assert!(
        stages.contains(&Stage::Sending { attempt: 1 }),
        "{stages:?}"
    );
    assert!(
        stages.contains(&Stage::Partial { received: 2 }),
        "{stages:?}"
    );
    assert_eq!(stages.last(), Some(&Stage::Saving));
    assert!(images[0].path.is_file() && images[0].sidecar_path.is_file());
    assert_eq!(
        rig.journal_files(),
        0,
        "a finished job leaves no journal entry"
    );
}

#[tokio::test]
async fn a_running_job_is_in_the_journal_and_cancel_closes_its_connection() {
    let server = fake().await;
    server.push_fault(Fault::Hang);
    let mut rig = rig(&server, 2);
    rig.start(7, small("hangs"));
    rig.until_sent().await;
    assert_eq!(rig.journal_files(), 1);
    assert_eq!(server.open_connections(), 1);
    rig.runner.run(Effect::CancelJob {
        id: JobId(7),
        journal: "20261121-120000-1-0007".into(),
    });
    let (done, _) = rig
        .until(|a| matches!(a, Action::Job(JobResult::Cancelled { .. })))
        .await;
    assert!(matches!(
        done,
        Action::Job(JobResult::Cancelled { id: JobId(7) })
    ));
    common::wait_until_closed(&server, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(rig.journal_files(), 0);
}

/// Cancelling a streaming edit after its first partial image: the
/// connection closes and nothing of it is left on disk, the partial
/// image included.
#[tokio::test]
async fn cancelling_mid_stream_leaves_nothing_behind() {
    let server = FakeServer::start(FakeOptions {
        pace: Some(Duration::from_millis(400)),
        ..FakeOptions::default()
    })
    .await
    .unwrap();
    let mut rig = rig(&server, 1);
    let mut p = params("gpt-image-2", "a hat on the fox");
    p.stream = Some(true);
    p.partial_images = Some(3);
    let image = artty::api::InputImage::from_bytes(
        "fox.png",
        common::image_bytes(64, 64, artty::images::probe::ImageFormat::Png, false),
    )
    .unwrap();
    rig.start(3, valid(ImageRequest::edit(p, vec![image], None)));
    let partial = |a: &Action| {
        matches!(
            a,
            Action::Job(JobResult::StageChanged {
                stage: Stage::Partial { .. },
                ..
            })
        )
    };
    let _ = rig.until(partial).await;
    rig.runner.run(Effect::CancelJob {
        id: JobId(3),
        journal: "20261121-120000-1-0003".into(),
    });
    let (done, _) = rig
        .until(|a| {
            matches!(
                a,
                Action::Job(JobResult::Cancelled { .. }) | Action::Job(JobResult::Saved { .. })
            )
        })
        .await;
    assert!(
        matches!(done, Action::Job(JobResult::Cancelled { id: JobId(3) })),
        "{done:?}"
    );
    common::wait_until_closed(&server, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let left: Vec<_> = std::fs::read_dir(rig.home.path().join("data/gallery"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(rig.journal_files(), 0);
}

#[tokio::test]
async fn shutting_down_marks_requests_in_flight_for_the_next_start() {
    let server = fake().await;
    server.push_fault(Fault::Hang);
    let mut rig = rig(&server, 1);
    rig.start(1, small("in flight"));
    rig.until_sent().await;
    rig.runner.shut_down("SIGTERM");
    let journal =
        artty::store::journal::Journal::open(rig.home.path().join("data/journal")).unwrap();
    let left = journal.leftovers("another-run").unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].sent);
    assert_eq!(left[0].stopped_by.as_deref(), Some("SIGTERM"));
    assert_eq!(left[0].params.prompt.as_deref(), Some("in flight"));
}

#[tokio::test]
async fn jobs_beyond_the_slots_wait_their_turn() {
    let server = fake().await;
    server.push_fault(Fault::Hang);
    let mut rig = rig(&server, 1);
    rig.start(1, small("first"));
    rig.start(2, small("second"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut sending = Vec::new();
    while let Ok(action) = rig.actions.try_recv() {
        if let Action::Job(JobResult::StageChanged {
            id,
            stage: Stage::Sending { .. },
        }) = action
        {
            sending.push(id);
        }
    }
    assert_eq!(
        sending,
        [JobId(1)],
        "one slot: the second job is still queued"
    );
    assert_eq!(server.requests().len(), 1);
    rig.runner.run(Effect::CancelJob {
        id: JobId(1),
        journal: "20261121-120000-1-0001".into(),
    });
    let (done, _) = rig
        .until(|a| matches!(a, Action::Job(JobResult::Saved { .. })))
        .await;
    assert!(matches!(
        done,
        Action::Job(JobResult::Saved { id: JobId(2), .. })
    ));
}

#[tokio::test]
async fn an_api_error_becomes_a_failed_job_with_a_message_to_act_on() {
    let server = fake().await;
    server.push_fault(Fault::error(
        401,
        "invalid_api_key",
        "Incorrect API key provided: sk-test***WXYZ.",
    ));
    let mut rig = rig(&server, 2);
    rig.start(3, small("refused"));
    let (done, _) = rig
        .until(|a| matches!(a, Action::Job(JobResult::Failed { .. })))
        .await;
    let Action::Job(JobResult::Failed { failure, .. }) = done else {
        unreachable!()
    };
    assert!(failure.headline.contains("401"), "{}", failure.headline);
    // `update` adds the key that opens the key setup (from the keymap).
    assert_eq!(failure.kind, "invalid_key");
    assert!(!failure.may_be_billed);
}

/// Paid-for images are never thrown away because the disk said no: they
/// stay in the failure, and saving again needs no second request.
#[tokio::test]
async fn images_that_cannot_be_saved_are_kept_and_saved_again_without_a_second_request() {
    let server = fake().await;
    let mut rig = rig(&server, 2);
    // A file where the gallery folder should be: every save fails.
    let gallery = rig.home.path().join("data/gallery");
    std::fs::write(&gallery, b"in the way").unwrap();
    rig.start(4, small("a kept fox"));
    let (done, _) = rig
        .until(|a| {
            matches!(
                a,
                Action::Job(JobResult::Saved { .. }) | Action::Job(JobResult::Failed { .. })
            )
        })
        .await;
    let Action::Job(JobResult::Failed { id, failure }) = done else {
        panic!("{done:?}")
    };
    assert_eq!((id, failure.kind), (JobId(4), "save"));
    assert!(failure.may_be_billed);
    let unsaved = failure.kept.expect("the images are kept in memory");
    assert_eq!(unsaved.generation.images.len(), 1);
    assert_eq!(unsaved.record.params.prompt.as_deref(), Some("a kept fox"));
    assert_eq!(rig.journal_files(), 0, "the request itself is over");

    // Still broken: the images come back kept again.
    rig.runner.run(Effect::SaveAgain {
        id,
        unsaved: unsaved.clone(),
    });
    let Action::Job(JobResult::Failed { failure, .. }) = rig.next().await else {
        panic!("a second failure")
    };
    let unsaved = failure.kept.expect("kept after the second failure too");

    std::fs::remove_file(&gallery).unwrap();
    rig.runner.run(Effect::SaveAgain { id, unsaved });
    let action = rig.next().await;
    let Action::Job(JobResult::Saved {
        id: saved_id,
        images,
        ..
    }) = action
    else {
        panic!("{action:?}")
    };
    assert_eq!(saved_id, id);
    assert_eq!(images.len(), 1);
    assert!(images[0].path.exists() && images[0].path.with_extension("json").exists());
    assert_eq!(server.requests().len(), 1, "saving again sends nothing");
}

#[tokio::test]
async fn a_key_check_says_what_the_server_answered() {
    let options = FakeOptions {
        accepted_key: Some(KEY.into()),
        ..FakeOptions::default()
    };
    let server = FakeServer::start(options).await.unwrap();
    let mut rig = rig(&server, 2);
    let candidate = |key: &str| KeyCandidate {
        key: artty::api::ApiKey::new(key),
        base_url: server.base_url(),
        organization: None,
        project: None,
    };
    rig.runner
        .run(Effect::CheckKey(candidate("sk-wrong-key-000000000000")));
    match rig.next().await {
        Action::Key(KeyResult::Checked(Err(why))) => assert!(why.contains("401"), "{why}"),
        other => panic!("{other:?}"),
    }
    rig.runner.run(Effect::CheckKey(candidate(KEY)));
    match rig.next().await {
        Action::Key(KeyResult::Checked(Ok(report))) => assert!(
            report.image_models.iter().any(|m| m == "gpt-image-2"),
            "{report:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn saving_a_key_writes_a_0600_file_and_never_reports_it_whole() {
    use std::os::unix::fs::PermissionsExt;
    let server = fake().await;
    let mut rig = rig(&server, 2);
    let key = "sk-proj-saved-key-0123456789ABCD";
    rig.runner.run(Effect::ApplyKey {
        candidate: KeyCandidate {
            key: artty::api::ApiKey::new(key),
            base_url: server.base_url(),
            organization: Some("org-x".into()),
            project: None,
        },
        persist: true,
    });
    let Action::Key(KeyResult::Applied {
        masked,
        source,
        note,
        server: applied_server,
        is_openai,
    }) = rig.next().await
    else {
        panic!()
    };
    assert_eq!(masked, "sk-…ABCD");
    assert!(
        applied_server.starts_with(&server.base_url()),
        "{applied_server}"
    );
    assert!(!is_openai);
    assert!(!format!("{masked}{source}{note}").contains("saved-key"));
    let file = rig.home.path().join("config/credentials");
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let settings = std::fs::read_to_string(rig.home.path().join("config/config.toml")).unwrap();
    assert!(
        settings.contains("org-x") && !settings.contains("saved-key"),
        "{settings}"
    );
}

#[tokio::test]
async fn a_config_file_that_does_not_parse_is_never_overwritten_nor_half_saved() {
    let server = fake().await;
    let mut rig = rig(&server, 2);
    let config = rig.home.path().join("config/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let broken = "organization = \"org-mine\"\nproject = [\n";
    std::fs::write(&config, broken).unwrap();
    rig.runner.run(Effect::ApplyKey {
        candidate: KeyCandidate {
            key: artty::api::ApiKey::new("sk-proj-another-key-0123456789"),
            base_url: server.base_url(),
            organization: Some("org-x".into()),
            project: None,
        },
        persist: true,
    });
    match rig.next().await {
        Action::Failed(why) => {
            assert!(why.contains("line 2, column"), "{why}");
            assert!(why.contains("does not overwrite it"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&config).unwrap(), broken);
    assert!(
        !rig.home.path().join("config/credentials").exists(),
        "the key is not saved without its settings"
    );
}

#[tokio::test]
async fn a_key_applied_for_the_session_is_used_by_the_next_job() {
    let options = FakeOptions {
        accepted_key: Some("sk-the-new-key-0000000000".into()),
        ..FakeOptions::default()
    };
    let server = FakeServer::start(options).await.unwrap();
    let mut rig = rig(&server, 2);
    rig.start(1, small("old key"));
    let (done, _) = rig
        .until(|a| {
            matches!(
                a,
                Action::Job(JobResult::Failed { .. }) | Action::Job(JobResult::Saved { .. })
            )
        })
        .await;
    assert!(
        matches!(done, Action::Job(JobResult::Failed { .. })),
        "{done:?}"
    );
    rig.runner.run(Effect::ApplyKey {
        candidate: KeyCandidate {
            key: artty::api::ApiKey::new("sk-the-new-key-0000000000"),
            base_url: server.base_url(),
            organization: None,
            project: None,
        },
        persist: false,
    });
    let (applied, _) = rig
        .until(|a| matches!(a, Action::Key(KeyResult::Applied { .. })))
        .await;
    let Action::Key(KeyResult::Applied { source, .. }) = applied else {
        unreachable!()
    };
    assert_eq!(source, "this session only");
    assert!(!rig.home.path().join("config/credentials").exists());
    rig.start(2, small("new key"));
    let (done, _) = rig
        .until(|a| {
            matches!(
                a,
                Action::Job(JobResult::Failed { .. }) | Action::Job(JobResult::Saved { .. })
            )
        })
        .await;
    assert!(
        matches!(done, Action::Job(JobResult::Saved { .. })),
        "{done:?}"
    );
}
