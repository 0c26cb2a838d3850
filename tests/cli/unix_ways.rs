//! The command line as Unix tools behave: a reader that leaves early, `-`
//! for stdin and stdout, help that shows each command's own flags, shell
//! completions and a man page, and a progress line that keeps moving.

use crate::common;

use std::process::Stdio;
use std::time::Duration;

use artty::fake::{FakeOptions, FakeServer, Fault};
use common::home::{Home, json_lines, text};
use common::tools::tool;

/// Runs artty with its stdout's reader gone before the first byte: every
/// write meets a closed pipe.
fn run_into_closed_pipe(home: &Home, args: &[&str]) -> std::process::Output {
    let mut child = home
        .artty(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_printing_command_quietly_with_0() {
    let home = Home::new();
    // Something to list, and a key for `auth status`.
    assert!(home.run(&["--demo", "generate", "a fox"]).status.success());
    let batch = home.root.path().join("one.txt");
    std::fs::write(&batch, "a hat\n").unwrap();
    let batch = batch.to_str().unwrap();
    let commands: [&[&str]; 18] = [
        &["--version"],
        &["cost"],
        &["cost", "--json"],
        &["keys"],
        &["keys", "--json"],
        &["models", "--offline"],
        &["--json", "models", "--offline"],
        &["--demo", "models"],
        &["gallery"],
        &["gallery", "--json"],
        &["gallery", "--check"],
        &["--demo", "generate", "a cat"],
        &["--demo", "generate", "--json", "a dog"],
        &["--demo", "batch", batch],
        &["--demo", "auth", "status"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
    ];
    for args in commands {
        let output = run_into_closed_pipe(&home, args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
    // The images asked for were still made: a reader leaving loses nothing.
    let listed = home.run(&["gallery", "--json"]);
    let prompts: Vec<String> = json_lines(&listed)
        .iter()
        .map(|l| l["prompt"].as_str().unwrap_or_default().to_string())
        .collect();
    for prompt in ["a cat", "a dog", "a hat"] {
        assert!(prompts.iter().any(|p| p == prompt), "{prompt}: {prompts:?}");
    }
}

#[test]
fn a_full_disk_behind_stdout_is_an_error_not_silence() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let home = Home::new();
    let full = std::fs::File::create("/dev/full").unwrap();
    let output = home
        .artty(&["keys"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("could not write the output"),
        "{}",
        text(&output.stderr)
    );
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbaImage::from_pixel(width, height, image::Rgba([200, 40, 40, 255]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

fn run_with_bytes(home: &Home, args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = home
        .artty(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, input).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn dash_reads_an_image_and_a_batch_from_stdin() {
    let home = Home::new();
    let edit = run_with_bytes(
        &home,
        &["--demo", "--json", "edit", "make it blue", "--image", "-"],
        &png(64, 64),
    );
    assert!(edit.status.success(), "{}", text(&edit.stderr));
    let saved = &json_lines(&edit)[0];
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(saved["sidecar"].as_str().unwrap()).unwrap())
            .unwrap();
    assert_eq!(sidecar["sources"][0]["path"], "-", "{sidecar}");
    assert_eq!(sidecar["sources"][0]["format"], "png");
    // Two readers of one stdin is a mistake, named before anything is sent.
    let both = run_with_bytes(&home, &["--demo", "edit", "-", "--image", "-"], b"");
    assert_eq!(both.status.code(), Some(2), "{}", text(&both.stderr));

    let lines = "a red fox\nan owl\n";
    let first = run_with_bytes(&home, &["--demo", "--json", "batch", "-"], lines.as_bytes());
    assert!(first.status.success(), "{}", text(&first.stderr));
    let numbers: Vec<u64> = json_lines(&first)
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers.len(), 2);
    assert!(numbers.contains(&1) && numbers.contains(&2), "{numbers:?}");
    // The same lines piped again are the same batch: nothing runs twice.
    let again = run_with_bytes(&home, &["--demo", "--json", "batch", "-"], lines.as_bytes());
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(json_lines(&again).is_empty());
    assert!(text(&again.stderr).contains("2 line(s) already done"));
}

#[test]
fn out_dash_writes_the_one_image_to_stdout_and_keeps_it() {
    let home = Home::new();
    let output = home
        .artty(&[
            "--demo",
            "generate",
            "--out",
            "-",
            "-s",
            "1024x1024",
            "a fox",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let picture = image::load_from_memory(&output.stdout).expect("stdout is the image");
    assert_eq!((picture.width(), picture.height()), (1024, 1024));
    // Also in the gallery, byte for byte, its path on stderr.
    let shown = text(&output.stderr);
    let path = shown
        .lines()
        .find_map(|l| l.strip_prefix("artty: saved "))
        .expect("the saved path on stderr");
    assert_eq!(std::fs::read(path).unwrap(), output.stdout);
    assert!(!home.root.path().join("-").exists(), "no folder named -");

    for refused in [
        &["--demo", "generate", "--out", "-", "-n", "2", "two"][..],
        &["--demo", "--json", "generate", "--out", "-", "one"][..],
        &["--demo", "gallery", "--out", "-"][..],
    ] {
        let output = home.artty(refused).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{refused:?}");
        assert!(output.stdout.is_empty() || refused.contains(&"--json"));
    }
}

#[test]
fn vary_without_a_model_picks_the_one_that_makes_variations() {
    let home = Home::new();
    let source = home.root.path().join("square.png");
    std::fs::write(&source, png(256, 256)).unwrap();
    let output = home.run(&[
        "--demo",
        "--json",
        "vary",
        "--image",
        source.to_str().unwrap(),
        "-s",
        "256x256",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(json_lines(&output)[0]["model"], "dall-e-2");
}

#[test]
fn each_command_shows_only_its_own_flags_under_headings() {
    let home = Home::new();
    let help = |args: &[&str]| text(&home.run(args).stdout);
    let server = help(&["mock-server", "--help"]);
    // Its flags, not the closing text that names the environment.
    let server = server.split("Without a command").next().unwrap();
    for foreign in ["--demo", "--base-url", "--out", "--retries", "--quality"] {
        assert!(!server.contains(foreign), "mock-server offers {foreign}");
    }
    let generate = help(&["generate", "--help"]);
    for heading in ["Request:", "Connection:", "Output:", "Exit status:"] {
        assert!(generate.contains(heading), "{heading} in {generate}");
    }
    for named in ["OPENAI_API_KEY", "[env: OPENAI_BASE_URL]", "docs/cli.md"] {
        assert!(generate.contains(named), "{named} in {generate}");
    }
    assert!(
        !generate.contains("--graphics"),
        "the app's flags stay the app's"
    );
    // A flag before the command and after it mean the same.
    for args in [
        &["--demo", "--json", "generate", "x"][..],
        &["generate", "--demo", "--json", "x"][..],
    ] {
        let output = home.run(args);
        assert!(output.status.success(), "{args:?}");
        assert_eq!(json_lines(&output).len(), 1, "{args:?}");
    }
}

#[test]
fn completions_load_in_bash_and_fish() {
    let home = Home::new();
    let dir = home.root.path().join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("artty.bash");
    std::fs::write(&script, home.run(&["completions", "bash"]).stdout).unwrap();
    let loaded = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source {}; complete -p artty", script.display()))
        .output()
        .unwrap();
    assert!(
        text(&loaded.stdout).contains("_artty") && text(&loaded.stdout).contains("artty"),
        "{}{}",
        text(&loaded.stdout),
        text(&loaded.stderr)
    );
    if tool("fish") {
        let script = dir.join("artty.fish");
        std::fs::write(&script, home.run(&["completions", "fish"]).stdout).unwrap();
        let offered = std::process::Command::new("fish")
            .arg("-c")
            .arg(format!(
                "source {}; complete -C'artty gen'",
                script.display()
            ))
            .output()
            .unwrap();
        assert!(
            text(&offered.stdout).contains("generate"),
            "{}{}",
            text(&offered.stdout),
            text(&offered.stderr)
        );
    }
}

#[test]
fn the_man_page_renders_with_the_environment_and_exit_codes() {
    let home = Home::new();
    let page = home.run(&["man"]).stdout;
    assert!(text(&page).starts_with(".ie") || text(&page).contains(".TH artty 1"));
    let dir = home.root.path().join("man");
    let written = home.run(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(written.status.success());
    assert!(dir.join("artty-generate.1").is_file());
    if tool("man") {
        let shown = std::process::Command::new("man")
            .args(["-l", dir.join("artty.1").to_str().unwrap()])
            .env("MANPAGER", "cat")
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        let shown = text(&shown.stdout);
        for part in [
            "SUBCOMMANDS",
            "OPENAI_API_KEY",
            "Exit status",
            "artty-generate(1)",
        ] {
            assert!(shown.contains(part), "{part} in {shown}");
        }
    }
}

/// `line` (a shell command line) run by `script` on a terminal of its
/// own, with the binary's private home as `Home` sets it up.
fn on_terminal(home: &Home, line: &str) -> std::process::Command {
    let template = home.artty(&[]);
    let mut script = std::process::Command::new("script");
    script.args(["-q", "-e", "-c", line, "/dev/null"]);
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    script
}

/// Draws counted in what a terminal received: indicatif starts each with a
/// carriage return and an erase of the line.
fn redraws(screen: &str) -> usize {
    screen.matches("artty: ").count()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_progress_line_ticks_on_a_terminal_and_stays_off_a_pipe() {
    if !tool("script") {
        return;
    }
    const WAIT: Duration = Duration::from_secs(3);
    let server = FakeServer::start(FakeOptions::default()).await.unwrap();
    let home = Home::new();
    let url = server.base_url();
    let args = ["--base-url", url.as_str(), "generate", "a slow fox"];
    // On a terminal (script gives the command one): the clock moves while
    // the server says nothing.
    server.push_fault(Fault::Delay(WAIT));
    let line = std::iter::once(env!("CARGO_BIN_EXE_artty"))
        .chain(args)
        .map(|arg| format!("'{arg}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut script = on_terminal(&home, &line);
    script
        .env("OPENAI_API_KEY", common::KEY)
        .stdin(Stdio::null());
    let shown = tokio::task::spawn_blocking(move || script.output().unwrap())
        .await
        .unwrap();
    assert!(shown.status.success(), "{}", text(&shown.stdout));
    let screen = text(&shown.stdout);
    // A draw at least every 300 ms of the wait would be 10; the line is
    // drawn every 100 ms, so this holds with a wide margin on a busy machine.
    assert!(
        redraws(&screen) >= 5,
        "{} draws: {screen:?}",
        redraws(&screen)
    );
    assert!(screen.contains("a-slow-fox"), "the path after the line");

    // On a pipe: the path only, no line, no escape codes.
    server.push_fault(Fault::Delay(Duration::from_millis(500)));
    let mut piped = home.artty(&args);
    piped.env("OPENAI_API_KEY", common::KEY);
    let piped = tokio::task::spawn_blocking(move || piped.output().unwrap())
        .await
        .unwrap();
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    assert_eq!(redraws(&text(&piped.stderr)), 0, "{}", text(&piped.stderr));
    assert!(!piped.stderr.contains(&0x1b));
    assert!(text(&piped.stdout).contains("a-slow-fox"));
}

#[test]
fn several_prompts_in_one_generate_from_flags_and_from_stdin_lines() {
    let home = Home::new();
    let flags = home.run(&[
        "--demo", "--json", "generate", "a fox", "-p", "an owl", "--prompt", "a hat",
    ]);
    assert!(flags.status.success(), "{}", text(&flags.stderr));
    assert_eq!(json_lines(&flags).len(), 3);
    let lines = run_with_bytes(
        &home,
        &["--demo", "--json", "generate", "-", "--each-line"],
        b"a lion\n\n  a tiger \n",
    );
    assert!(lines.status.success(), "{}", text(&lines.stderr));
    assert_eq!(json_lines(&lines).len(), 2);
    let listed = home.run(&["gallery", "--json"]);
    let prompts: Vec<String> = json_lines(&listed)
        .iter()
        .map(|l| l["prompt"].as_str().unwrap().to_string())
        .collect();
    for prompt in ["a fox", "an owl", "a hat", "a lion", "a tiger"] {
        assert!(prompts.iter().any(|p| p == prompt), "{prompt}: {prompts:?}");
    }
    // One stdin image is one prompt's.
    let refused = home
        .artty(&["--demo", "generate", "--out", "-", "a", "-p", "b"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn show_draws_each_saved_image_on_a_terminal_and_says_why_not_on_a_pipe() {
    let home = Home::new();
    let piped = home.run(&["--demo", "generate", "--show", "a fox"]);
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    assert!(text(&piped.stderr).contains("--show draws on a terminal"));
    assert!(!piped.stdout.contains(&0x1b), "nothing drawn into the pipe");
    if !tool("script") {
        return;
    }
    // On a terminal (script's), in half blocks: the path, then the picture.
    let line = format!(
        "'{}' --demo generate --show=blocks 'an owl'",
        env!("CARGO_BIN_EXE_artty")
    );
    let shown = on_terminal(&home, &line)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let screen = text(&shown.stdout);
    assert!(shown.status.success(), "{screen}");
    let path_at = screen.find("an-owl").expect("the path first");
    let picture_at = screen.find('▀').expect("half blocks drawn");
    assert!(path_at < picture_at);
    // The pty may turn each \n into \r\n: the count is of line ends.
    assert!(
        screen.matches("\x1b[0m\r").count() >= 8,
        "rows of the picture"
    );
}

#[test]
fn keys_and_mock_server_speak_json_too() {
    let home = Home::new();
    let keys = home.run(&["keys", "--json"]);
    assert!(keys.status.success(), "{}", text(&keys.stderr));
    let bindings = json_lines(&keys);
    assert!(bindings.len() > 20);
    assert!(
        bindings
            .iter()
            .all(|b| b["schema"] == 1 && b["keys"].is_array())
    );
    assert!(bindings.iter().any(|b| b["command"] == "generate"));

    let mut server = home
        .artty(&["mock-server", "--port", "0", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let said: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(said["status"], "listening");
    assert!(
        said["base_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
}
