//! OpenAI's Batch API through the real binary, against the fake server's
//! Files and Batch APIs on a clock the test moves: submit, fetch (twice,
//! and cut off halfway), cancel, expire, a failed line, a batch refused
//! in validation, and edits whose shared reference is uploaded once.

use crate::common;

use std::collections::HashSet;
use std::process::Output;

use artty::fake::{BatchPlan, FakeOptions, FakeServer, Fault};
use common::KEY;
use common::home::{Home, json_lines, text};

/// A batch's whole window on the fake clock.
const HOUR: i64 = 3600;

struct Setup {
    home: Home,
    server: FakeServer,
}

impl Setup {
    async fn new() -> Setup {
        Setup {
            home: Home::new(),
            server: FakeServer::start(FakeOptions::default()).await.unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let url = self.server.base_url();
        let mut all = vec!["--base-url", url.as_str(), "--json"];
        all.extend_from_slice(args);
        self.home
            .run_with_stdin(&all, "", &[("OPENAI_API_KEY", KEY)])
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.home.root.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// Submits `file`; returns the batch ids it printed.
    fn submit(&self, file: &str) -> Vec<String> {
        let output = self.run(&[
            "batch",
            file,
            "--batch-api",
            "-m",
            "gpt-image-2",
            "--size",
            "1024x1024",
            "--quality",
            "low",
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        json_lines(&output)
            .into_iter()
            .filter(|l| l["status"] == "submitted")
            .map(|l| l["batch_id"].as_str().unwrap().to_string())
            .collect()
    }

    /// Every saved image's sidecar.
    fn sidecars(&self) -> Vec<serde_json::Value> {
        let mut all: Vec<serde_json::Value> = self
            .home
            .gallery_files()
            .into_iter()
            .filter(|n| n.ends_with(".json"))
            .map(|n| {
                serde_json::from_slice(&std::fs::read(self.home.gallery().join(n)).unwrap())
                    .unwrap()
            })
            .collect();
        all.sort_by_key(|s| s["batch_api"]["line"].as_u64());
        all
    }

    fn uploads(&self, purpose: &str) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.path == "/v1/files" && r.field("purpose") == Some(purpose))
            .count()
    }
}

fn prompts(count: usize) -> String {
    (1..=count)
        .map(|i| format!("a lighthouse, number {i}\n"))
        .collect()
}

/// Each line saved once: the lines the sidecars name, with no repeats.
fn lines_saved(sidecars: &[serde_json::Value]) -> Vec<u64> {
    let lines: Vec<u64> = sidecars
        .iter()
        .map(|s| s["batch_api"]["line"].as_u64().unwrap())
        .collect();
    let unique: HashSet<u64> = lines.iter().copied().collect();
    assert_eq!(
        unique.len(),
        lines.len(),
        "a line was saved twice: {lines:?}"
    );
    lines
}

#[tokio::test(flavor = "multi_thread")]
async fn a_submitted_batch_is_fetched_once_however_often_fetch_runs() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(12));
    let ids = setup.submit(&file);
    assert_eq!(ids.len(), 1);
    let id = &ids[0];
    // The input file: one request per line, as the Batch API reads it.
    let upload = setup
        .server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/files")
        .unwrap();
    assert_eq!(upload.field("purpose"), Some("batch"));
    let input = &upload.files[0];
    assert!(input.file_name.as_deref().unwrap().ends_with(".jsonl"));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&input.bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12);
    assert_eq!(lines[0]["method"], "POST");
    assert_eq!(lines[0]["url"], "/v1/images/generations");
    assert_eq!(lines[0]["body"]["prompt"], "a lighthouse, number 1");
    assert_eq!(lines[0]["body"]["quality"], "low");
    let custom: HashSet<&str> = lines
        .iter()
        .map(|l| l["custom_id"].as_str().unwrap())
        .collect();
    assert_eq!(custom.len(), 12, "every request has its own custom_id");
    let create = setup
        .server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/batches" && r.method == "POST")
        .unwrap();
    let body = create.json.unwrap();
    assert_eq!(body["completion_window"], "24h");
    assert_eq!(body["endpoint"], "/v1/images/generations");

    // Submitting again sends nothing: the lines wait in the batch.
    let again = setup.run(&["batch", &file, "--batch-api", "-m", "gpt-image-2"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stderr).contains("12 line(s) already done or waiting"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(setup.uploads("batch"), 1);

    // Not finished: fetch reports progress and saves nothing.
    setup.server.advance_batch_clock(HOUR / 2);
    let early = setup.run(&["batches", "fetch"]);
    assert!(early.status.success(), "{}", text(&early.stderr));
    assert_eq!(json_lines(&early)[0]["status"], "in_progress");
    assert!(setup.home.gallery_files().is_empty());
    let listed = json_lines(&setup.run(&["batches", "list"]));
    assert_eq!(listed[0]["batch_id"], id.as_str());
    assert_eq!(listed[0]["requests"], 12);
    assert!(listed[0]["estimate_usd"].as_f64().unwrap() > 0.0);

    setup.server.advance_batch_clock(HOUR);
    let fetched = setup.run(&["batches", "fetch", id]);
    assert!(fetched.status.success(), "{}", text(&fetched.stderr));
    let sidecars = setup.sidecars();
    assert_eq!(lines_saved(&sidecars), (1..=12).collect::<Vec<_>>());
    for sidecar in &sidecars {
        assert_eq!(sidecar["batch_api"]["batch_id"], id.as_str());
        assert_eq!(sidecar["group"]["kind"], "batch");
        assert_eq!(sidecar["cost"]["batch"], true, "{sidecar}");
        assert_eq!(sidecar["cost"]["basis"], "usage");
    }
    // A second fetch, by id or of everything, saves nothing more.
    let twice = setup.run(&["batches", "fetch", id]);
    assert!(twice.status.success(), "{}", text(&twice.stderr));
    assert!(setup.run(&["batches", "fetch"]).status.success());
    assert_eq!(setup.sidecars().len(), 12);
    let status = json_lines(&setup.run(&["batches", "status", id]));
    assert_eq!(status[0]["status"], "fetched");
    assert_eq!(status[0]["fetched"]["saved"], 12);
    // The lines are done: running the file here runs none of them.
    let here = setup.run(&["batch", &file, "-m", "gpt-image-2"]);
    assert!(
        text(&here.stderr).contains("12 line(s) already done"),
        "{}",
        text(&here.stderr)
    );
    // `artty cost` counts it as Batch API spending.
    let cost = json_lines(&setup.run(&["cost"]));
    assert_eq!(cost[0]["batch_api"]["images"], 12, "{cost:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_download_cut_off_halfway_is_fetched_whole_the_next_time() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(6));
    let id = setup.submit(&file).remove(0);
    setup.server.advance_batch_clock(2 * HOUR);
    // The status read, then the content cut off after 5,000 bytes.
    setup
        .server
        .push_fault(Fault::Delay(std::time::Duration::ZERO));
    setup.server.push_fault(Fault::Truncate { after: 5_000 });
    let cut = setup.run(&["batches", "fetch", &id]);
    assert_eq!(cut.status.code(), Some(4), "{}", text(&cut.stderr));
    assert!(
        text(&cut.stderr).contains("broke off"),
        "{}",
        text(&cut.stderr)
    );
    assert!(
        setup.home.gallery_files().is_empty(),
        "nothing saved from half a file"
    );
    let kept = setup.home.root.path().join("data/batches/files");
    let names: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".part")), "{names:?}");
    let whole = setup.run(&["batches", "fetch", &id]);
    assert!(whole.status.success(), "{}", text(&whole.stderr));
    assert_eq!(lines_saved(&setup.sidecars()).len(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fetch_killed_while_saving_and_run_again_saves_each_line_once() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(16));
    let id = setup.submit(&file).remove(0);
    setup.server.advance_batch_clock(2 * HOUR);
    let url = setup.server.base_url();
    let mut child = setup
        .home
        .artty(&["--base-url", &url, "batches", "fetch", &id])
        .env("OPENAI_API_KEY", KEY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed as soon as its first image is on disk (or when it is done).
    loop {
        let saved = setup
            .home
            .gallery_files()
            .iter()
            .any(|n| n.ends_with(".png"));
        if saved || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    let again = setup.run(&["batches", "fetch", &id]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(lines_saved(&setup.sidecars()), (1..=16).collect::<Vec<_>>());
    let pictures = setup
        .home
        .gallery_files()
        .iter()
        .filter(|n| n.ends_with(".png"))
        .count();
    assert_eq!(
        pictures,
        16,
        "one picture per line: {:?}",
        setup.home.gallery_files()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_batch_keeps_what_it_made_and_the_rest_is_retried() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(10));
    let id = setup.submit(&file).remove(0);
    // Halfway through its work: (0.45 - 0.1) / 0.7 of the lines are done.
    setup.server.advance_batch_clock(HOUR * 45 / 100);
    let cancel = setup.run(&["batches", "cancel", &id]);
    assert!(cancel.status.success(), "{}", text(&cancel.stderr));
    assert_eq!(json_lines(&cancel)[0]["status"], "cancelling");
    let fetched = setup.run(&["batches", "fetch", &id]);
    assert_eq!(fetched.status.code(), Some(3), "{}", text(&fetched.stderr));
    let report = json_lines(&fetched);
    let made = report.iter().filter(|l| l.get("path").is_some()).count();
    assert_eq!(made, 5, "{report:?}");
    let summary = report.iter().find(|l| l["status"] == "fetched").unwrap();
    assert_eq!(summary["saved"], 5);
    let failed = summary["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 5);
    assert!(
        failed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("batch_cancelled"),
        "{failed:?}"
    );
    // The five not made go again, as a batch of their own.
    let retry = setup.run(&["batches", "retry", &id]);
    assert!(retry.status.success(), "{}", text(&retry.stderr));
    let new_id = json_lines(&retry)[0]["batch_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_id, id);
    assert_eq!(json_lines(&retry)[0]["requests"], 5);
    setup.server.advance_batch_clock(2 * HOUR);
    assert!(setup.run(&["batches", "fetch"]).status.success());
    assert_eq!(lines_saved(&setup.sidecars()), (1..=10).collect::<Vec<_>>());
    let nothing_left = setup.run(&["batches", "retry", &new_id]);
    assert!(nothing_left.status.success());
    assert!(text(&nothing_left.stderr).contains("every line"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_batch_reports_the_lines_it_did_not_reach() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(8));
    setup.server.plan_next_batch(BatchPlan {
        expire: true,
        ..BatchPlan::default()
    });
    let id = setup.submit(&file).remove(0);
    setup.server.advance_batch_clock(2 * HOUR);
    let fetched = setup.run(&["batches", "fetch", &id]);
    assert_eq!(fetched.status.code(), Some(3), "{}", text(&fetched.stderr));
    assert_eq!(lines_saved(&setup.sidecars()), [1, 2, 3, 4]);
    let summary = json_lines(&fetched)
        .into_iter()
        .find(|l| l["status"] == "fetched")
        .unwrap();
    let failed: Vec<u64> = summary["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(failed, [5, 6, 7, 8]);
    assert!(
        summary["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("batch_expired")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_line_and_a_refused_batch_say_why() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(4));
    setup.server.push_fault_for(
        "a lighthouse, number 3",
        Fault::error(
            400,
            "moderation_blocked",
            "Your request was rejected by the safety system.",
        ),
    );
    let id = setup.submit(&file).remove(0);
    setup.server.advance_batch_clock(2 * HOUR);
    let fetched = setup.run(&["batches", "fetch", &id]);
    assert_eq!(fetched.status.code(), Some(3));
    assert_eq!(lines_saved(&setup.sidecars()), [1, 2, 4]);
    let stderr_run = setup.run(&["batches", "status", &id]);
    let status = json_lines(&stderr_run);
    let reason = status[0]["fetched"]["failed"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(
        reason.contains("safety system") && reason.contains("moderation_blocked"),
        "{reason}"
    );

    // A batch the API refuses whole: every line says so.
    let other = setup.write("more.txt", "a kite\na boat\n");
    setup.server.plan_next_batch(BatchPlan {
        fail: Some("The input file has an unsupported model.".into()),
        ..BatchPlan::default()
    });
    let refused = setup.submit(&other).remove(0);
    setup.server.advance_batch_clock(2 * HOUR);
    let fetched = setup.run(&["batches", "fetch", &refused]);
    assert_eq!(fetched.status.code(), Some(3));
    let summary = json_lines(&fetched)
        .into_iter()
        .find(|l| l["status"] == "fetched")
        .unwrap();
    assert_eq!(summary["failed"].as_array().unwrap().len(), 2);
    assert!(
        summary["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("unsupported model"),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_upload_a_shared_reference_once_and_go_in_a_batch_of_their_own() {
    let setup = Setup::new().await;
    let picture = common::image_bytes(64, 64, artty::images::probe::ImageFormat::Png, false);
    std::fs::write(setup.home.root.path().join("ref.png"), &picture).unwrap();
    let mask = common::image_bytes(64, 64, artty::images::probe::ImageFormat::Png, true);
    std::fs::write(setup.home.root.path().join("mask.png"), &mask).unwrap();
    let mut text_lines = String::new();
    for i in 1..=6 {
        text_lines.push_str(&format!(
            "{{\"prompt\": \"the product in scene {i}\", \"image\": \"ref.png\"}}\n"
        ));
    }
    text_lines
        .push_str("{\"prompt\": \"masked\", \"image\": \"ref.png\", \"mask\": \"mask.png\"}\n");
    text_lines.push_str("a plain generation\n");
    let file = setup.write("edits.jsonl", &text_lines);
    let ids = setup.submit(&file);
    assert_eq!(ids.len(), 2, "one batch per endpoint");
    assert_eq!(
        setup.uploads("vision"),
        2,
        "the reference and the mask, once each"
    );
    let batches: Vec<serde_json::Value> = setup
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/batches" && r.method == "POST")
        .map(|r| r.json.unwrap())
        .collect();
    let endpoints: HashSet<&str> = batches
        .iter()
        .map(|b| b["endpoint"].as_str().unwrap())
        .collect();
    assert_eq!(
        endpoints,
        HashSet::from(["/v1/images/edits", "/v1/images/generations"])
    );
    let input = setup
        .server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/files" && r.field("purpose") == Some("batch"))
        .unwrap();
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&input.files[0].bytes)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert!(
        first["body"]["images"][0]["file_id"].as_str().is_some(),
        "{first}"
    );
    // A second file with the same reference uploads it no more.
    let more = setup.write(
        "more.jsonl",
        "{\"prompt\": \"one more\", \"image\": \"ref.png\"}\n",
    );
    setup.submit(&more);
    assert_eq!(setup.uploads("vision"), 2);

    setup.server.advance_batch_clock(2 * HOUR);
    let fetched = setup.run(&["batches", "fetch"]);
    assert!(fetched.status.success(), "{}", text(&fetched.stderr));
    let sidecars = setup.sidecars();
    assert_eq!(sidecars.len(), 9);
    let edits: Vec<&serde_json::Value> = sidecars
        .iter()
        .filter(|s| s["endpoint"] == "edits")
        .collect();
    assert_eq!(edits.len(), 8, "{sidecars:?}");
    assert!(edits.iter().all(|s| {
        s["sources"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("ref.png")
    }));
    assert!(edits.iter().any(|s| {
        s["mask"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("mask.png"))
    }));
}

#[tokio::test(flavor = "multi_thread")]
async fn lines_the_batch_api_cannot_take_stop_the_submit_before_any_upload() {
    let setup = Setup::new().await;
    let file = setup.write(
        "bad.jsonl",
        "a fine line\n{\"prompt\": \"streamed\", \"stream\": true}\n{\"prompt\": \"links\", \"model\": \"dall-e-3\", \"response_format\": \"url\"}\n{\"prompt\": \"big\", \"size\": \"9x9\"}\n",
    );
    let output = setup.run(&["batch", &file, "--batch-api", "-m", "gpt-image-2"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    for line in ["bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4"] {
        assert!(stderr.contains(line), "{line}: {stderr}");
    }
    assert!(
        stderr.contains("does not stream") && stderr.contains("expire"),
        "{stderr}"
    );
    assert!(setup.server.requests().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_was_lost_is_found_again_never_made_twice() {
    let setup = Setup::new().await;
    let file = setup.write("prompts.txt", &prompts(3));
    // The upload goes through; the create is made, and its answer cut off.
    setup
        .server
        .push_fault(Fault::Delay(std::time::Duration::ZERO));
    setup.server.push_fault(Fault::Truncate { after: 0 });
    let lost = setup.run(&["batch", &file, "--batch-api", "-m", "gpt-image-2"]);
    assert_eq!(lost.status.code(), Some(4), "{}", text(&lost.stderr));
    assert!(
        text(&lost.stderr).contains("may have been created"),
        "{}",
        text(&lost.stderr)
    );
    // Submitting again sends nothing: the lines wait in the batch that may exist.
    let again = setup.run(&["batch", &file, "--batch-api", "-m", "gpt-image-2"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let creates = || {
        setup
            .server
            .requests()
            .iter()
            .filter(|r| r.path == "/v1/batches" && r.method == "POST")
            .count()
    };
    assert_eq!(creates(), 1);
    // The list finds it by its input file and adopts it.
    let listed = json_lines(&setup.run(&["batches", "list"]));
    assert_eq!(listed.len(), 1);
    let id = listed[0]["batch_id"].as_str().expect("adopted").to_string();
    assert!(id.starts_with("batch_"), "{id}");
    assert_eq!(creates(), 1, "found, not made again");
    setup.server.advance_batch_clock(2 * HOUR);
    assert!(setup.run(&["batches", "fetch"]).status.success());
    assert_eq!(lines_saved(&setup.sidecars()), [1, 2, 3]);
}
