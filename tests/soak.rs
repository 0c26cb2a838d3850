//! The soak run: many jobs through the app's own effect runner against the
//! fake server, about 30 % of them meeting a fault of some kind. Afterwards
//! every job has exactly one outcome, every saved image and sidecar is on
//! disk once, every failure carries the kind its fault should give, nothing
//! temporary is left, and descriptors and memory are as they were after the
//! first wave.
//!
//! `SOAK_JOBS` sets the count (default 120 here; `scripts/soak.sh` runs 1,000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use artty::action::{Action, JobResult};
use artty::api::ImageRequest;
use artty::effect::Effect;
use artty::effect::runner::Runner;
use artty::fake::{FakeOptions, FakeServer, Fault};
use artty::model::jobs::JobId;
use artty::store::sidecar::{RequestRecord, Sidecar};
use common::{params, valid};

/// What a job meets and what it must end as.
#[derive(Debug, Clone, Copy)]
struct Plan {
    name: &'static str,
    /// `None`: saved; `Some(kind)`: failed with this kind.
    expect: Option<&'static str>,
    arm: fn(&FakeServer, &str),
    shape: Shape,
}

/// The kind of request a job makes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// gpt-image-1-mini, b64 JSON, one or two images.
    Json,
    /// gpt-image-1-mini with two partial images.
    Stream,
    /// dall-e-2, result by URL, so there is a download.
    Url,
}

fn quick(status: u16, code: &str) -> Fault {
    Fault::error(status, code, "soak fault").with_header("retry-after-ms", "1")
}

fn plans() -> Vec<Plan> {
    vec![
        Plan {
            name: "429 then fine",
            expect: None,
            shape: Shape::Json,
            arm: |s, p| s.push_fault_for(p, quick(429, "rate_limit_exceeded")),
        },
        Plan {
            name: "503 then fine",
            expect: None,
            shape: Shape::Url,
            arm: |s, p| s.push_fault_for(p, quick(503, "overloaded")),
        },
        Plan {
            name: "500 every time",
            expect: Some("server_error"),
            shape: Shape::Json,
            arm: |s, p| (0..3).for_each(|_| s.push_fault_for(p, quick(500, "server_error"))),
        },
        Plan {
            name: "502 html then fine",
            expect: None,
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::raw(502, "text/html", "<html>bad gateway</html>")
                        .with_header("retry-after-ms", "1"),
                )
            },
        },
        Plan {
            name: "moderation",
            expect: Some("moderation"),
            shape: Shape::Json,
            arm: |s, p| s.push_fault_for(p, Fault::error(400, "moderation_blocked", "blocked")),
        },
        Plan {
            name: "bad key",
            expect: Some("invalid_key"),
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::error(
                        401,
                        "invalid_api_key",
                        "Incorrect API key provided: sk-abc****wxyz",
                    ),
                )
            },
        },
        Plan {
            name: "organization",
            expect: Some("organization_not_verified"),
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::error(
                        403,
                        "",
                        "Your organization must be verified to use the model",
                    ),
                )
            },
        },
        Plan {
            name: "quota",
            expect: Some("quota"),
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::error(429, "insufficient_quota", "You exceeded your current quota"),
                )
            },
        },
        Plan {
            name: "413 html",
            expect: Some("invalid_parameter"),
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::raw(
                        413,
                        "text/html",
                        "<html><h1>413 Request Entity Too Large</h1></html>",
                    ),
                )
            },
        },
        Plan {
            name: "reset after sending",
            expect: Some("connection_lost"),
            shape: Shape::Json,
            arm: |s, p| s.push_fault_for(p, Fault::Reset),
        },
        Plan {
            name: "body cut short",
            expect: Some("connection_lost"),
            shape: Shape::Json,
            arm: |s, p| s.push_fault_for(p, Fault::Truncate { after: 40 }),
        },
        Plan {
            name: "no image",
            expect: Some("no_image"),
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::json(200, &serde_json::json!({ "created": 1, "data": [] })),
                )
            },
        },
        Plan {
            name: "not base64",
            expect: Some("bad_image"),
            shape: Shape::Json,
            arm: |s, p| {
                s.push_fault_for(p, Fault::json(200, &serde_json::json!({ "created": 1, "data": [{ "b64_json": "%%%not base64%%%" }] })))
            },
        },
        Plan {
            name: "never answers",
            expect: Some("timeout"),
            shape: Shape::Json,
            arm: |s, p| s.push_fault_for(p, Fault::Hang),
        },
        Plan {
            name: "random chunks",
            expect: None,
            shape: Shape::Stream,
            arm: |s, p| {
                s.push_fault_for(
                    p,
                    Fault::Chunked {
                        max_chunk: 700,
                        seed: 7,
                    },
                )
            },
        },
        Plan {
            name: "stream cut short",
            expect: Some("connection_lost"),
            shape: Shape::Stream,
            arm: |s, p| s.push_fault_for(p, Fault::Truncate { after: 3000 }),
        },
        Plan {
            name: "expired link",
            expect: Some("download"),
            shape: Shape::Url,
            arm: |s, p| {
                s.push_download_fault_for(
                    p,
                    Fault::raw(
                        403,
                        "application/xml",
                        "<Error><Code>AuthenticationFailed</Code></Error>",
                    ),
                )
            },
        },
        Plan {
            name: "download cut short",
            expect: Some("download"),
            shape: Shape::Url,
            arm: |s, p| s.push_download_fault_for(p, Fault::Truncate { after: 100 }),
        },
    ]
}

fn request(shape: Shape, prompt: &str, job: u64) -> artty::api::ValidRequest {
    let mut p = match shape {
        Shape::Url => params("dall-e-2", prompt),
        Shape::Json | Shape::Stream => params("gpt-image-1-mini", prompt),
    };
    match shape {
        Shape::Url => p.size = Some("256x256".into()),
        Shape::Json => {
            p.size = Some("1024x1024".into());
            p.quality = Some("low".into());
            p.n = Some(1 + (job % 2) as u8);
        }
        Shape::Stream => {
            p.size = Some("1024x1024".into());
            p.quality = Some("low".into());
            p.stream = Some(true);
            p.partial_images = Some(2);
        }
    }
    valid(ImageRequest::generate(p))
}

/// Open descriptors and resident memory of this process.
fn usage() -> (usize, u64) {
    let fds = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count());
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    (fds, rss_kb)
}

struct Outcome {
    prompt: String,
    expect: Option<&'static str>,
    plan: &'static str,
    images: Option<usize>,
    failed: Option<&'static str>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_jobs_with_faults_lose_nothing_and_leak_nothing() {
    let total: u64 = std::env::var("SOAK_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let wave = (total / 10).clamp(10, 100);
    let server = FakeServer::start(FakeOptions {
        keep_history: false,
        ..FakeOptions::default()
    })
    .await
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let (tx, mut actions) = tokio::sync::mpsc::unbounded_channel();
    let mut setup = common::runner_setup(&server.base_url(), home.path(), 4);
    // Hundreds of times what a healthy request takes on a debug build
    // (tens of milliseconds), even beside two busy loops on two cores, so
    // only the hung ones time out.
    setup.config.request_timeout = Duration::from_secs(20);
    setup.config.download_timeout = Duration::from_secs(20);
    let gallery_dir = setup.gallery_dir.clone();
    let mut runner = Runner::new(setup, tx).unwrap();

    let plans = plans();
    let mut rng = fastrand::Rng::with_seed(20261121);
    let mut outcomes: BTreeMap<u64, Outcome> = BTreeMap::new();
    let mut waves: Vec<(usize, u64)> = Vec::new();
    let mut faulted = 0;
    let mut next = 1;
    while next <= total {
        let end = (next + wave).min(total + 1);
        for id in next..end {
            let prompt = format!("soak job {id}");
            let plan = (rng.f32() < 0.3).then(|| plans[rng.usize(..plans.len())]);
            let shape = plan.map_or(
                [Shape::Json, Shape::Stream, Shape::Url][id as usize % 3],
                |p| p.shape,
            );
            if let Some(plan) = plan {
                (plan.arm)(&server, &prompt);
                faulted += 1;
            }
            let request = request(shape, &prompt, id);
            let record = RequestRecord::new(
                request.request().endpoint,
                request.request().params.clone(),
                "loopback",
                None,
            );
            runner.run(Effect::StartJob {
                id: JobId(id),
                journal: format!("20261121-120000-1-{id:05}"),
                request: Box::new(request),
                record: Box::new(record),
            });
            outcomes.insert(
                id,
                Outcome {
                    prompt,
                    expect: plan.and_then(|p| p.expect),
                    plan: plan.map_or("none", |p| p.name),
                    images: None,
                    failed: None,
                },
            );
        }
        let mut open = end - next;
        while open > 0 {
            // A guard against a hang only: far above any job's time.
            let action = tokio::time::timeout(Duration::from_secs(300), actions.recv())
                .await
                .expect("every job ends within five minutes")
                .expect("the runner is alive");
            let (id, saved, failed) = match action {
                Action::Job(JobResult::Saved { id, images, .. }) => (id, Some(images.len()), None),
                Action::Job(JobResult::Failed { id, failure }) => (id, None, Some(failure.kind)),
                _ => continue,
            };
            let outcome = outcomes.get_mut(&id.0).expect("a job this test started");
            assert!(
                outcome.images.is_none() && outcome.failed.is_none(),
                "job {} ended twice",
                id.0
            );
            outcome.images = saved;
            outcome.failed = failed;
            open -= 1;
        }
        let now = usage();
        eprintln!(
            "after {:>5} jobs: {} descriptors, RSS {} kB",
            end - 1,
            now.0,
            now.1
        );
        waves.push(now);
        next = end;
    }

    // Every job ended the way its fault says, with the failure's kind.
    let mut failed_by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut reported_images = 0;
    let mut wrong = Vec::new();
    for (id, outcome) in &outcomes {
        match (outcome.expect, outcome.images, outcome.failed) {
            (None, Some(images), None) => reported_images += images,
            (Some(kind), None, Some(got)) if kind == got => {
                *failed_by_kind.entry(got).or_default() += 1;
            }
            (expect, images, failed) => wrong.push(format!(
                "job {id} ({}): expected {expect:?}, got images {images:?} failure {failed:?}",
                outcome.plan
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // On disk: each saved job's images and sidecars exactly once, nothing else.
    let mut per_prompt: BTreeMap<String, usize> = BTreeMap::new();
    let (mut images_on_disk, mut sidecars) = (0, 0);
    let mut strays = Vec::new();
    for entry in std::fs::read_dir(&gallery_dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            sidecars += 1;
            let sidecar: Sidecar =
                serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
            *per_prompt
                .entry(sidecar.prompt.unwrap_or_default())
                .or_default() += 1;
            let image = gallery_dir.join(&sidecar.image);
            assert!(image.is_file(), "{name} names a missing image");
        } else if name.ends_with(".png") || name.ends_with(".jpeg") || name.ends_with(".webp") {
            images_on_disk += 1;
        } else if name != ".artty-seal" {
            // The gallery's sealing key is the one other file it holds.
            strays.push(name);
        }
    }
    for outcome in outcomes.values() {
        let on_disk = per_prompt.get(&outcome.prompt).copied().unwrap_or(0);
        assert_eq!(
            on_disk,
            outcome.images.unwrap_or(0),
            "{} ({}) has {on_disk} images on disk",
            outcome.prompt,
            outcome.plan
        );
    }
    assert_eq!(images_on_disk, reported_images, "image files");
    assert_eq!(sidecars, reported_images, "sidecars");
    assert!(strays.is_empty(), "left in the gallery: {strays:?}");
    assert_eq!(
        journal_entries(&home.path().join("data/journal")),
        0,
        "journal left"
    );

    let saved_jobs = outcomes.values().filter(|o| o.images.is_some()).count();
    let failed: usize = failed_by_kind.values().sum();
    // Allocators keep and reuse freed pages, so single readings swing by
    // tens of MB; a leak shows as a trend. Compare the first three waves
    // with the last three.
    let (first, last) = (
        &waves[..3.min(waves.len())],
        &waves[waves.len().saturating_sub(3)..],
    );
    let fds_before = first.iter().map(|w| w.0).max().unwrap();
    let fds_after = last.iter().map(|w| w.0).max().unwrap();
    let rss_before = first.iter().map(|w| w.1).max().unwrap();
    let rss_after = last.iter().map(|w| w.1).sum::<u64>() / last.len() as u64;
    println!(
        "soak: {total} jobs, {faulted} with faults, {saved_jobs} saved ({reported_images} images), \
         {failed} failed {failed_by_kind:?}, lost 0; descriptors (most open) {fds_before} -> {fds_after}, \
         RSS (most in the first three waves -> mean of the last three) {} -> {} MB, waves of {wave} jobs",
        rss_before / 1024,
        rss_after / 1024
    );
    assert_eq!(saved_jobs + failed, total as usize);
    assert!(
        fds_after <= fds_before + 4,
        "descriptors grew: {fds_before} -> {fds_after}"
    );
    // Keeping one decoded image per job would add 4 MB a job.
    assert!(
        rss_after <= rss_before + 32 * 1024,
        "memory grew: {rss_before} kB -> {rss_after} kB"
    );
    drop(runner);
}

fn journal_entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.flatten().count())
}
