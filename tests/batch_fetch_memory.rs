//! A Batch API output file larger than the memory bound, fetched by the
//! real binary: its peak resident memory, as the kernel counted it
//! (`getrusage(RUSAGE_CHILDREN)`), stays under 100 MiB while the file is
//! 2.5 times that. A fetch that read the file whole, or kept the answers,
//! would pass 250 MiB. This file holds one test, so the only children
//! counted are the artty processes it runs. `scripts/batch-fetch-memory.sh`
//! measures a 2 GB file the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use artty::fake::{BatchPlan, FakeOptions, FakeServer};
use common::KEY;
use common::home::{Home, json_lines, text};

const LINES: usize = 96;
/// Each answer's PNG; its base64 is a third larger.
const IMAGE_BYTES: usize = 2 * 1024 * 1024;
const LIMIT: u64 = 100 * 1024 * 1024;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn peak_of_children() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(done, 0);
    // ru_maxrss is in kilobytes on Linux.
    usage.ru_maxrss as u64 * 1024
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[tokio::test(flavor = "multi_thread")]
async fn fetching_an_output_file_larger_than_the_bound_keeps_memory_flat() {
    let server = FakeServer::start(FakeOptions {
        keep_history: false,
        batch_plan: BatchPlan {
            image_bytes: Some(IMAGE_BYTES),
            ..BatchPlan::default()
        },
        ..FakeOptions::default()
    })
    .await
    .unwrap();
    let home = Home::new();
    let file = home.root.path().join("many.txt");
    let lines: String = (1..=LINES).map(|i| format!("picture {i}\n")).collect();
    std::fs::write(&file, lines).unwrap();
    let url = server.base_url();
    let run = |args: &[&str]| {
        let mut all = vec!["--base-url", url.as_str(), "--json"];
        all.extend_from_slice(args);
        home.run_with_stdin(&all, "", &[("OPENAI_API_KEY", KEY)])
    };
    let submitted = run(&[
        "batch",
        file.to_str().unwrap(),
        "--batch-api",
        "-m",
        "gpt-image-2",
    ]);
    assert!(submitted.status.success(), "{}", text(&submitted.stderr));
    let id = json_lines(&submitted)
        .into_iter()
        .find(|l| l["status"] == "submitted")
        .unwrap()["batch_id"]
        .as_str()
        .unwrap()
        .to_string();
    server.advance_batch_clock(2 * 3600);
    let fetched = run(&["batches", "fetch", &id]);
    assert!(fetched.status.success(), "{}", text(&fetched.stderr));
    let saved = json_lines(&fetched)
        .iter()
        .filter(|l| l.get("path").is_some())
        .count();
    assert_eq!(saved, LINES);
    // The output file was what the test says it was: larger than the bound.
    let output_bytes: u64 = std::fs::read_dir(home.gallery())
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .map(|e| e.metadata().unwrap().len())
        .sum::<u64>()
        * 4
        / 3;
    assert!(
        output_bytes > LIMIT * 2,
        "only {output_bytes} bytes of answers"
    );
    let peak = peak_of_children();
    eprintln!(
        "peak RSS {} MiB fetching {} MiB of answers",
        peak >> 20,
        output_bytes >> 20
    );
    assert!(peak < LIMIT, "peak RSS {} MiB", peak >> 20);
}
