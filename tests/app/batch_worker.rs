//! The runner's Batch API work against the fake server on loopback, as
//! the app drives it: a batch file submitted with the prices, listed by
//! the Batches view's watch (the journal first, then the server), fetched
//! into the gallery once whatever the number of fetches, and cancelled.

use crate::common;

use std::time::Duration;

use artty::action::{Action, BatchesResult, FetchReport, Submitted};
use artty::api::batch_wire::BatchStatus;
use artty::effect::Effect;
use artty::effect::runner::Runner;
use artty::fake::FakeServer;
use artty::model::batches::BatchRow;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

const HOUR: i64 = 3600;

struct Rig {
    runner: Runner,
    actions: UnboundedReceiver<Action>,
    home: tempfile::TempDir,
}

fn rig(server: &FakeServer) -> Rig {
    let home = tempfile::tempdir().unwrap();
    let (tx, actions) = unbounded_channel();
    let setup = common::runner_setup(&server.base_url(), home.path(), 2);
    Rig {
        runner: Runner::new(setup, tx).unwrap(),
        actions,
        home,
    }
}

impl Rig {
    /// The next Batch API result, past any other action.
    async fn next(&mut self) -> BatchesResult {
        loop {
            let action = tokio::time::timeout(Duration::from_secs(20), self.actions.recv())
                .await
                .expect("a result within 20 s")
                .expect("the runner is alive");
            if let Action::Batches(result) = action {
                return result;
            }
        }
    }

    /// The rows of the next listing the server was asked for.
    async fn listed(&mut self) -> Vec<BatchRow> {
        loop {
            if let BatchesResult::Listed {
                rows,
                asked: true,
                problem,
                ..
            } = self.next().await
            {
                assert_eq!(problem, None);
                return rows;
            }
        }
    }

    async fn submitted(&mut self) -> Result<Submitted, String> {
        loop {
            if let BatchesResult::Submitted { result, .. } = self.next().await {
                return result;
            }
        }
    }

    async fn fetched(&mut self) -> FetchReport {
        loop {
            if let BatchesResult::Fetched { result, .. } = self.next().await {
                return result.expect("fetched");
            }
        }
    }

    fn sidecars(&self) -> Vec<serde_json::Value> {
        let gallery = self.home.path().join("data").join("gallery");
        let mut found = Vec::new();
        for entry in walk(&gallery) {
            if entry.extension().is_some_and(|e| e == "json") {
                found.push(serde_json::from_slice(&std::fs::read(entry).unwrap()).unwrap());
            }
        }
        found
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| match e.path().is_dir() {
            true => walk(&e.path()),
            false => vec![e.path()],
        })
        .collect()
}

fn params() -> Box<artty::api::ImageParams> {
    Box::new(artty::api::ImageParams::new("gpt-image-2"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_submitted_from_the_app_is_listed_fetched_once_and_grouped() {
    let server = common::fake().await;
    let mut rig = rig(&server);
    let file = rig.home.path().join("prompts.txt");
    std::fs::write(&file, "a red teapot\na blue teapot\na green teapot\n").unwrap();

    rig.runner.run(Effect::SubmitBatch {
        path: file.clone(),
        defaults: params(),
    });
    let result = rig.submitted().await;
    let submitted = result.expect("submitted");
    assert_eq!((submitted.batches, submitted.requests), (1, 3));
    assert!(submitted.invalid.is_empty());

    // The view's watch: the journal's row at once, then the server's word.
    rig.runner.run(Effect::WatchBatches(true));
    let rows = rig.listed().await;
    assert_eq!(rows.len(), 1);
    let row = rows[0].clone();
    assert!(row.running(), "{row:?}");
    assert_eq!(row.requests, 3);
    assert!(row.name.starts_with("batch_"), "{}", row.name);

    // A fetch before it is over saves nothing.
    rig.runner.run(Effect::FetchBatch(row.id.clone()));
    let early = rig.fetched().await;
    assert!(early.running.is_some(), "{early:?}");
    assert!(rig.sidecars().is_empty());

    server.advance_batch_clock(2 * HOUR);
    rig.runner.run(Effect::FetchBatch(row.id.clone()));
    let report = rig.fetched().await;
    assert_eq!(
        (report.lines_saved, report.lines_failed),
        (3, 0),
        "{report:?}"
    );
    assert_eq!(report.images_saved, 3);
    let sidecars = rig.sidecars();
    assert_eq!(sidecars.len(), 3);
    let groups: std::collections::HashSet<_> =
        sidecars.iter().map(|s| s["group"]["id"].clone()).collect();
    assert_eq!(groups.len(), 1, "one batch file, one group: {groups:?}");
    for sidecar in &sidecars {
        assert_eq!(sidecar["batch_api"]["batch_id"], row.name.as_str());
    }

    // Fetched again: nothing saved twice.
    rig.runner.run(Effect::FetchBatch(row.id.clone()));
    let again = rig.fetched().await;
    assert_eq!(again.images_saved, 0);
    assert_eq!(rig.sidecars().len(), 3);

    // Sent again from `B`: every line is in the gallery, nothing goes.
    rig.runner.run(Effect::SubmitBatch {
        path: file,
        defaults: params(),
    });
    let resubmitted = rig.submitted().await.expect("checked");
    assert_eq!((resubmitted.batches, resubmitted.skipped), (0, 3));
    rig.runner.run(Effect::WatchBatches(false));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_line_stops_the_submit_and_a_cancelled_batch_is_sent_again() {
    let server = common::fake().await;
    let mut rig = rig(&server);
    let file = rig.home.path().join("lines.jsonl");
    std::fs::write(
        &file,
        "{\"prompt\": \"a teapot\"}\n{\"prompt\": \"a cup\", \"stream\": true}\n",
    )
    .unwrap();
    rig.runner.run(Effect::SubmitBatch {
        path: file.clone(),
        defaults: params(),
    });
    let result = rig.submitted().await;
    let refused = result.unwrap();
    assert_eq!(refused.batches, 0);
    assert_eq!(refused.invalid.len(), 1);
    assert_eq!(refused.invalid[0].0, 2);
    assert!(
        refused.invalid[0].1.contains("does not stream"),
        "{:?}",
        refused.invalid
    );
    assert!(server.requests().iter().all(|r| !r.path.contains("/files")));

    std::fs::write(&file, "{\"prompt\": \"a teapot\"}\n").unwrap();
    rig.runner.run(Effect::SubmitBatch {
        path: file,
        defaults: params(),
    });
    let result = rig.submitted().await;
    assert_eq!(result.unwrap().batches, 1);
    let row = rig.listed().await.remove(0);
    rig.runner.run(Effect::CancelBatch(row.id.clone()));
    let cancelled = loop {
        if let BatchesResult::Cancelled { result, .. } = rig.next().await {
            break result;
        }
    };
    assert_eq!(cancelled, Ok(()));
    let row = rig.listed().await.remove(0);
    assert!(
        matches!(
            row.status,
            Some(BatchStatus::Cancelling | BatchStatus::Cancelled)
        ),
        "{row:?}"
    );

    // Fetched: the line it did not reach made no image, and goes again.
    server.advance_batch_clock(60);
    rig.runner.run(Effect::FetchBatch(row.id.clone()));
    let report = rig.fetched().await;
    assert_eq!(
        (report.lines_saved, report.lines_failed),
        (0, 1),
        "{report:?}"
    );
    rig.runner.run(Effect::RetryBatch(row.id.clone()));
    let retried = loop {
        if let BatchesResult::Retried { result, .. } = rig.next().await {
            break result.expect("sent again");
        }
    };
    let (again, requests) = retried.expect("a new batch");
    assert_eq!(requests, 1);
    let rows = rig.listed().await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, again, "the new batch first");
    assert!(rows[1].retried);
}
