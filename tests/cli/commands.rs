//! The real `artty` binary: commands, output, exit codes, and that nothing
//! is sent or saved when it should not be.

use crate::common;

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::Ordering;

use artty::fake::{FakeOptions, FakeServer, Fault};
use common::home::{Home, json_lines, text};
use common::{KEY, counting_listener};

#[test]
fn demo_generate_saves_image_and_sidecar_and_prints_json() {
    let home = Home::new();
    let output = home.run(&[
        "--demo",
        "--json",
        "generate",
        "-m",
        "gpt-image-2",
        "-s",
        "1536x864",
        "-n",
        "2",
        "a red fox",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2);
    for line in &lines {
        for key in ["path", "sidecar", "model", "size"] {
            assert!(line.get(key).is_some(), "{key} missing in {line}");
        }
        assert_eq!(line["size"], "1536x864");
        assert_eq!(line["model"], "gpt-image-2");
        assert!(Path::new(line["path"].as_str().unwrap()).is_file());
        assert!(Path::new(line["sidecar"].as_str().unwrap()).is_file());
    }
    assert_eq!(home.gallery_files().len(), 4);
}

#[test]
fn prompt_from_stdin_and_plain_output_is_the_path() {
    let home = Home::new();
    let output = home.run_with_stdin(&["--demo", "generate", "-"], "a prompt from a pipe\n", &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let path = text(&output.stdout).trim().to_string();
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(Path::new(&path).with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(sidecar["prompt"], "a prompt from a pipe");
    assert_eq!(sidecar["model"], "gpt-image-2.6-flare", "the default model");
}

#[test]
fn demo_edit_with_two_sources_and_a_mask_then_a_variation() {
    let home = Home::new();
    let dir = home.root.path();
    let src = |name: &str, w, h| {
        let path = dir.join(name);
        std::fs::write(
            &path,
            common::image_bytes(w, h, artty::images::probe::ImageFormat::Png, true),
        )
        .unwrap();
        path.to_string_lossy().into_owned()
    };
    let (a, b, mask) = (
        src("a.png", 64, 64),
        src("b.png", 48, 32),
        src("mask.png", 64, 64),
    );
    let output = home.run(&[
        "--demo",
        "--json",
        "edit",
        "combine them",
        "-m",
        "gpt-image-1.5",
        "--image",
        &a,
        "--image",
        &b,
        "--mask",
        &mask,
        "--fidelity",
        "high",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let sidecar_path = json_lines(&output)[0]["sidecar"]
        .as_str()
        .unwrap()
        .to_string();
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sidecar_path).unwrap()).unwrap();
    assert_eq!(sidecar["endpoint"], "edits");
    assert_eq!(sidecar["sources"].as_array().unwrap().len(), 2);
    assert!(
        sidecar["mask"]["path"]
            .as_str()
            .unwrap()
            .ends_with("mask.png")
    );

    let output = home.run(&[
        "--demo", "vary", "-m", "dall-e-2", "--image", &a, "-s", "256x256",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn invalid_requests_exit_2_and_send_nothing() {
    let home = Home::new();
    let (url, connections) = counting_listener();
    for args in [
        vec!["generate", "-m", "dall-e-3", "-n", "2", "x"],
        vec!["generate", "-m", "gpt-image-2", "-s", "1000x1000", "x"],
        vec!["generate", "-m", "gpt-image-1", "--style", "vivid", "x"],
        vec![
            "generate",
            "-m",
            "gpt-image-1",
            "--response-format",
            "url",
            "x",
        ],
    ] {
        let mut full = vec!["--base-url", &url, "--json"];
        full.extend(args.iter().copied());
        let output = home.run_with_stdin(&full, "", &[("OPENAI_API_KEY", KEY)]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(
            text(&output.stderr).contains("the request was not sent"),
            "{args:?}"
        );
        assert_eq!(json_lines(&output)[0]["error"]["exit_code"], 2);
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    assert!(home.gallery_files().is_empty());
}

#[test]
fn no_key_exits_2_with_what_to_do() {
    let home = Home::new();
    let output = home.run(&["generate", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("artty auth set"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_exit_3_without_the_key_and_save_nothing() {
    let options = FakeOptions {
        accepted_key: Some("sk-another-key-00000000".into()),
        ..FakeOptions::default()
    };
    let server = FakeServer::start(options).await.unwrap();
    let home = Home::new();
    let url = server.base_url();
    let output = home.run_with_stdin(
        &["--base-url", &url, "--json", "generate", "x"],
        "",
        &[("OPENAI_API_KEY", KEY)],
    );
    assert_eq!(output.status.code(), Some(3));
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    // The key came from OPENAI_API_KEY: the advice names the variable,
    // not `artty auth set`, which cannot override it.
    assert!(
        all.contains("The API key from OPENAI_API_KEY was refused (401)"),
        "{all}"
    );
    assert!(all.contains("unset OPENAI_API_KEY"), "{all}");
    for fragment in [KEY, "0123456789", "WXYZ"] {
        assert!(!all.contains(fragment), "{fragment} leaked: {all}");
    }
    assert_eq!(json_lines(&output)[0]["error"]["kind"], "invalid_key");

    let server = FakeServer::start(FakeOptions::default()).await.unwrap();
    server.push_fault(Fault::json(
        200,
        &serde_json::json!({"created": 1, "data": []}),
    ));
    let url = server.base_url();
    let output = home.run_with_stdin(
        &["--base-url", &url, "generate", "x"],
        "",
        &[("OPENAI_API_KEY", KEY)],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(text(&output.stderr).contains("no image"));
    assert!(
        home.gallery_files().is_empty(),
        "{:?}",
        home.gallery_files()
    );
}

#[test]
fn network_failures_exit_4() {
    let home = Home::new();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/v1");
    let output = home.run_with_stdin(
        &["--base-url", &url, "--retries", "0", "generate", "x"],
        "",
        &[("OPENAI_API_KEY", KEY)],
    );
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("Could not reach 127.0.0.1"));
}

#[test]
fn auth_set_status_clear() {
    let home = Home::new();
    let output = home.run_with_stdin(&["auth", "set"], &format!("{KEY}\n"), &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stored = home.config().join("credentials");
    assert_eq!(
        std::fs::metadata(&stored).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(text(&output.stdout).contains("sk-…WXYZ") && !text(&output.stdout).contains(KEY));

    let status = home.run(&["auth", "status"]);
    let shown = text(&status.stdout);
    assert!(
        shown.contains("sk-…WXYZ from") && shown.contains("credentials") && !shown.contains(KEY),
        "{shown}"
    );

    let with_env = home.run_with_stdin(
        &["auth", "status"],
        "",
        &[("OPENAI_API_KEY", "sk-from-the-environment-1111")],
    );
    assert!(
        text(&with_env.stdout).contains("sk-…1111 from the OPENAI_API_KEY environment variable")
    );

    let clear = home.run(&["auth", "clear"]);
    assert!(clear.status.success() && !stored.exists());
}

#[test]
fn case42_plain_http_to_another_host_warns() {
    let home = Home::new();
    let output = home.run_with_stdin(
        &[
            "--base-url",
            "http://gpu-box.invalid:8080/v1",
            "auth",
            "status",
        ],
        "",
        &[("OPENAI_API_KEY", KEY)],
    );
    assert!(
        text(&output.stderr).contains("the API key travels unencrypted"),
        "{}",
        text(&output.stderr)
    );
    let loopback = home.run_with_stdin(
        &["--base-url", "http://127.0.0.1:8080/v1", "auth", "status"],
        "",
        &[("OPENAI_API_KEY", KEY)],
    );
    assert!(!text(&loopback.stderr).contains("unencrypted"));
}

#[test]
fn models_lists_the_table_with_the_server_view() {
    let home = Home::new();
    let output = home.run(&["--demo", "--json", "models"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines = json_lines(&output);
    let table = home.run(&["models", "--offline"]);
    let listed = text(&table.stdout);
    let header = listed.lines().next().unwrap_or_default();
    assert!(
        header.contains("MODEL") && header.contains("PRICE (USD)"),
        "{header}"
    );
    assert!(listed.contains("5.00/8.00/30.00 per 1M tok"), "{listed}");
    let flare = lines
        .iter()
        .find(|l| l["name"] == "gpt-image-2.6-flare")
        .unwrap();
    assert_eq!(flare["default"], true);
    assert_eq!(flare["account"], "available");
    assert_eq!(flare["price_per_million_tokens"]["image_output"], 30.0);
    for name in [
        "gpt-image-2.5-flare",
        "gpt-image-2.5-sunburst",
        "gpt-image-2.6-sunburst",
    ] {
        let line = lines.iter().find(|l| l["name"] == name).unwrap();
        assert_eq!(line["status"], "active", "{name}");
    }
    // The dated snapshot the server lists is named with what it is.
    let snapshot = lines
        .iter()
        .find(|l| l["name"] == "gpt-image-2-2026-04-21")
        .expect("the snapshot the server lists");
    assert_eq!(snapshot["snapshot_of"], "gpt-image-2");
    // Machine values in machine fields, the prose beside them.
    let dalle = lines.iter().find(|l| l["name"] == "dall-e-3").unwrap();
    assert_eq!(dalle["status"], "shut_down");
    assert!(
        dalle["message"]
            .as_str()
            .unwrap()
            .starts_with("shut down on OpenAI since 2026-05-12")
    );
    for line in &lines {
        assert_eq!(line["schema"], 1, "every object names its schema: {line}");
    }
}

#[test]
fn a_users_models_toml_adds_models() {
    let home = Home::new();
    std::fs::create_dir_all(home.config()).unwrap();
    std::fs::write(home.config().join("models.toml"), "[[model]]\nname = \"house-model\"\nendpoints = [\"generations\"]\nsizes = [\"512x512\"]\nn_max = 2\nprompt_max = 100\n").unwrap();
    let output = home.run(&[
        "--demo",
        "generate",
        "-m",
        "house-model",
        "-s",
        "640x640",
        "x",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("house-model's sizes: 512x512"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn case40_hostile_names_in_messages_are_printed_inert() {
    let home = Home::new();
    let output = home.run(&[
        "--demo",
        "--json",
        "generate",
        "-m",
        "evil\x1b]52;c;AAAA\x07\x1b[2J",
        "-n",
        "0",
        "x",
    ]);
    assert_eq!(output.status.code(), Some(2));
    for stream in [&output.stdout, &output.stderr] {
        assert!(
            !stream.iter().any(|b| *b == 0x1b || *b == 0x07),
            "raw control bytes in {}",
            text(stream)
        );
    }
    assert!(
        text(&output.stderr).contains("evil\\u{1b}]52"),
        "{}",
        text(&output.stderr)
    );
}

/// Raw bytes that would act on a terminal: ESC, BEL, C1 controls (as
/// UTF-8) and bidirectional overrides and isolates.
fn raw_controls(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .map(|(at, c)| format!("{c:?} at {at}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn case40_a_hostile_server_reaches_stdout_stderr_and_logs_inert() {
    let hostile =
        "evil\x1b[2J\x1b]52;c;QUFB\x07\x1bP+q\x1b\\\u{9b}31m\u{85}\u{202e}txt.exe\u{2066}";
    let server = FakeServer::start(FakeOptions::default()).await.unwrap();
    let image = common::b64(&common::image_bytes(
        8,
        8,
        artty::images::probe::ImageFormat::Png,
        false,
    ));
    // A revised prompt, then an error message, then a retry reason.
    server.push_fault(Fault::json(
        200,
        &serde_json::json!({"created": 1, "data": [{"b64_json": image, "revised_prompt": hostile}]}),
    ));
    server.push_fault(Fault::error(400, hostile, hostile));
    server.push_fault(Fault::error(503, "overloaded", hostile).with_header("retry-after-ms", "1"));
    server.push_fault(Fault::error(500, hostile, hostile).with_header("x-should-retry", "false"));
    let home = Home::new();
    let url = server.base_url();
    for (args, expect) in [
        (
            vec!["-vv", "generate", "-m", "gpt-image-1-mini", "x"],
            Some(0),
        ),
        (
            vec!["-vv", "generate", "-m", "gpt-image-1-mini", "x"],
            Some(3),
        ),
        (
            vec!["-vv", "generate", "-m", "gpt-image-1-mini", "x"],
            Some(3),
        ),
    ] {
        let mut all_args = vec!["--base-url", url.as_str()];
        all_args.extend(args);
        let output = home.run_with_stdin(&all_args, "", &[("OPENAI_API_KEY", KEY)]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), expect, "{stderr}");
        for (name, stream) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            let raw = raw_controls(stream);
            assert!(raw.is_empty(), "{name}: {raw:?} in {}", text(stream));
        }
        // Shown, escaped, in the message or the log.
        assert!(stderr.contains("evil\\u{1b}[2J"), "{stderr}");
    }
}

#[test]
fn a_batch_runs_its_lines_and_resumes_where_it_stopped() {
    let home = Home::new();
    let file = home.root.path().join("prompts.jsonl");
    std::fs::write(
        &file,
        "# three prompts, one with its own model and size\na red fox\n\
         {\"prompt\": \"a hat\", \"model\": \"gpt-image-1-mini\", \"size\": \"1024x1536\"}\n\
         an owl\n{\"prompt\": 7}\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let first = home.run(&["--demo", "--json", "batch", path]);
    // The bad line is named and makes the exit code 2; the rest are saved.
    assert_eq!(first.status.code(), Some(2), "{}", text(&first.stderr));
    assert!(
        text(&first.stderr).contains("prompts.jsonl:5"),
        "{}",
        text(&first.stderr)
    );
    let saved: Vec<_> = json_lines(&first)
        .into_iter()
        .filter(|l| l.get("path").is_some())
        .collect();
    assert_eq!(saved.len(), 3);
    assert!(
        saved
            .iter()
            .any(|l| l["size"] == "1024x1536" && l["model"] == "gpt-image-1-mini")
    );
    // Every sidecar names the batch and its line.
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(saved[0]["sidecar"].as_str().unwrap()).unwrap())
            .unwrap();
    assert_eq!(sidecar["group"]["kind"], "batch");
    // A line added later: only it runs; the others are done.
    let mut text_now = std::fs::read_to_string(&file).unwrap();
    text_now = text_now.replace("{\"prompt\": 7}\n", "a lion\n");
    std::fs::write(&file, text_now).unwrap();
    let second = home.run(&["--demo", "--json", "batch", path]);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(json_lines(&second).len(), 1);
    assert!(text(&second.stderr).contains("3 line(s) already done"));
    assert_eq!(home.gallery_files().len(), 8);
}

#[test]
fn gallery_lists_cleans_leftovers_and_check_finds_a_broken_image() {
    let home = Home::new();
    let made = home.run(&[
        "--demo",
        "generate",
        "-m",
        "gpt-image-1-mini",
        "-n",
        "2",
        "a fox",
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    // What a writer killed mid-save leaves behind (its pid is long gone).
    let leftover = home.gallery().join(".artty-tmp-4194303-k3x9q2");
    std::fs::write(&leftover, b"half an image").unwrap();
    let listed = home.run(&["--json", "gallery", "--check"]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let lines = json_lines(&listed);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|l| l["problem"].is_null() && l["prompt"] == "a fox")
    );
    assert!(
        !leftover.exists(),
        "the leftover is cleaned when the gallery is read"
    );

    let broken = lines[0]["path"].as_str().unwrap().to_string();
    std::fs::write(&broken, b"not an image").unwrap();
    let checked = home.run(&["gallery", "--check"]);
    assert_eq!(checked.status.code(), Some(1));
    let stderr = text(&checked.stderr);
    assert!(
        stderr.contains("1 of 2 images could not be read"),
        "{stderr}"
    );
    assert!(stderr.contains(&broken), "{stderr}");
}

#[test]
fn demo_gif_and_svg_are_saved_whole_and_pass_the_gallery_check() {
    let home = Home::new();
    let gif = home.run(&[
        "--demo",
        "--json",
        "generate",
        "-m",
        "gpt-image-2.6-flare",
        "--format",
        "gif",
        "--frames",
        "4",
        "--frame-ms",
        "120",
        "-s",
        "256x256",
        "x",
    ]);
    assert!(gif.status.success(), "{}", text(&gif.stderr));
    let line = &json_lines(&gif)[0];
    assert_eq!(
        (line["format"].as_str(), line["frames"].as_u64()),
        (Some("gif"), Some(4))
    );
    assert_eq!(line["frame_ms"], 120);
    assert_eq!(
        (line["cost_usd"].as_f64(), line["cost_basis"].as_str()),
        (Some(0.0), Some("free"))
    );
    assert!(line["path"].as_str().unwrap().ends_with(".gif"));
    let svg = home.run(&["--demo", "--json", "generate", "--format", "svg", "x"]);
    assert!(svg.status.success(), "{}", text(&svg.stderr));
    let path = json_lines(&svg)[0]["path"].as_str().unwrap().to_string();
    assert!(path.ends_with(".svg"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
    let check = home.run(&["gallery", "--check"]);
    assert!(
        check.status.success(),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    // Refused before sending, with the allowed values, exit 2.
    let max = home.run(&[
        "--demo",
        "generate",
        "-m",
        "gpt-image-2",
        "--quality",
        "max",
        "x",
    ]);
    assert_eq!(max.status.code(), Some(2));
    assert!(
        text(&max.stderr).contains("use one of auto, low, medium, high"),
        "{}",
        text(&max.stderr)
    );
}
