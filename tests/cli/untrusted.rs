//! The real binary against answers and settings it must not trust: what it
//! prints stays inert and keyless, a broken image is never "saved", and a
//! proxy that could read the key is named before the key is sent.

use crate::common;

use artty::fake::{FakeOptions, FakeServer, Fault};
use artty::images::probe::ImageFormat;
use common::KEY;
use common::home::{Home, json_lines, text};

fn png_b64() -> String {
    common::b64(&common::image_bytes(8, 8, ImageFormat::Png, false))
}

fn dangerous(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_escapes_8_bit_csi_and_bidi_overrides_from_the_server() {
    let server = FakeServer::start(FakeOptions::default()).await.unwrap();
    let hostile = "a\u{9b}31m red \u{202e}fox\u{85}";
    server.push_fault(Fault::json(
        200,
        &serde_json::json!({"data": [{"b64_json": png_b64(), "revised_prompt": hostile}]}),
    ));
    let home = Home::new();
    let url = server.base_url();
    let args = [
        "--base-url",
        &url,
        "--json",
        "generate",
        "-m",
        "gpt-image-2",
        "x",
    ];
    let output = home.run_with_stdin(&args, "", &[("OPENAI_API_KEY", KEY)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(dangerous(&stdout), Vec::<char>::new(), "{stdout}");
    let line = &json_lines(&output)[0];
    assert_eq!(
        line["revised_prompt"], "a\\u{9b}31m red \\u{202e}fox\\u{85}",
        "kept in its visible form, once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn half_an_image_is_an_error_and_nothing_is_saved() {
    let server = FakeServer::start(FakeOptions::default()).await.unwrap();
    let whole = common::image_bytes(64, 64, ImageFormat::Png, false);
    let half = common::b64(&whole[..whole.len() / 2]);
    server.push_fault(Fault::json(
        200,
        &serde_json::json!({"data": [{"b64_json": half}]}),
    ));
    let home = Home::new();
    let url = server.base_url();
    let args = ["--base-url", &url, "generate", "-m", "gpt-image-2", "x"];
    let output = home.run_with_stdin(&args, "", &[("OPENAI_API_KEY", KEY)]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(text(&output.stdout).is_empty(), "no path printed");
    assert_eq!(home.gallery_files(), Vec::<String>::new());
}

#[test]
fn a_plain_http_proxy_is_named_before_the_key_is_sent_and_passwords_are_never_printed() {
    let (url, _) = common::counting_listener();
    let home = Home::new();
    let args = ["--base-url", &url, "generate", "-m", "gpt-image-2", "x"];
    let env = [
        ("OPENAI_API_KEY", KEY),
        ("HTTP_PROXY", "http://me:hunter2@127.0.0.1:9"),
        ("NO_PROXY", ""),
    ];
    let output = home.run_with_stdin(&args, "", &env);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("go through the proxy http://me:***@127.0.0.1:9/ in plain http"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2") && !stderr.contains(KEY),
        "{stderr}"
    );
    let status = home.run_with_stdin(
        &[
            "--base-url",
            "http://me:s3cret@gpu-box.lan/v1",
            "auth",
            "status",
        ],
        "",
        &[("OPENAI_API_KEY", KEY)],
    );
    let all = format!("{}{}", text(&status.stdout), text(&status.stderr));
    assert!(all.contains("me:***@gpu-box.lan"), "{all}");
    assert!(!all.contains("s3cret"), "{all}");
}

#[test]
fn jobs_is_taken_after_the_subcommand_as_the_readme_writes_it() {
    let home = Home::new();
    let file = home.root.path().join("prompts.txt");
    std::fs::write(&file, "a fox\nan owl\n").unwrap();
    let path = file.to_str().unwrap();
    let output = home.run(&["--demo", "-q", "batch", path, "--jobs", "4"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

/// Runs with stdin from `file` (a device), failing the test after a minute
/// instead of hanging.
fn run_with_stdin_file(home: &Home, args: &[&str], file: &str) -> std::process::Output {
    let mut command = home.artty(args);
    command
        .stdin(std::fs::File::open(file).unwrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("artty {args:?} <{file} did not finish");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn endless_or_huge_inputs_are_refused_quickly_and_by_name() {
    let home = Home::new();
    let sparse = home.root.path().join("sparse.png");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let sparse = sparse.to_str().unwrap().to_string();
    for (args, stdin, says) in [
        (
            vec!["--demo", "edit", "--image", "/dev/zero", "x"],
            "/dev/null",
            "larger than 64 MB",
        ),
        (
            vec!["--demo", "edit", "--image", &sparse, "x"],
            "/dev/null",
            "larger than 64 MB",
        ),
        (
            vec!["--demo", "generate", "-"],
            "/dev/zero",
            "larger than 1 MB",
        ),
        (vec!["auth", "set"], "/dev/zero", "could not read the key"),
        (
            vec!["--demo", "batch", "/dev/zero"],
            "/dev/null",
            "larger than 64 MB",
        ),
    ] {
        let output = run_with_stdin_file(&home, &args, stdin);
        let stderr = text(&output.stderr);
        assert_ne!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(!home.config().join("credentials").exists());
}

#[test]
fn a_second_run_of_a_batch_that_is_running_is_refused_before_sending() {
    let home = Home::new();
    let file = home.root.path().join("prompts.txt");
    std::fs::write(&file, "a fox\n").unwrap();
    // What the running batch holds: the lock of this file's batch id.
    let id = artty::batch::batch_id(&file);
    let _running =
        artty::store::batch_lock::BatchLock::take(&home.root.path().join("data/locks"), &id)
            .unwrap();
    let output = home.run(&["--demo", "batch", file.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("already running in another artty"),
        "{stderr}"
    );
    assert_eq!(
        home.gallery_files(),
        Vec::<String>::new(),
        "nothing was sent"
    );
}
