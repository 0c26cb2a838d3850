//! The real binary, driven in tmux as a person would: demo mode, type a
//! prompt, Ctrl+G, see the entry and its half-block thumbnail, open the
//! full-size preview, find the files, quit, and find the shell
//! usable; and a SIGTERM mid-request, which must restore the terminal and
//! leave the request in the journal for the next start to show.
//!
//! Needs tmux (`scripts/test` installs it). Without it a plain `cargo test`
//! skips these tests with a line saying so; under CI a missing tmux fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Session {
    socket: String,
    home: tempfile::TempDir,
}

impl Session {
    fn start(name: &str) -> Option<Session> {
        if !crate::tools::tool("tmux") {
            return None;
        }
        let home = tempfile::tempdir().unwrap();
        let session = Session {
            socket: format!("artty-e2e-{name}-{}", std::process::id()),
            home,
        };
        let shell = format!(
            "env -i PATH=/usr/bin:/bin HOME={0} TERM=xterm-256color ARTTY_CONFIG_DIR={0}/config ARTTY_DATA_DIR={0}/data ARTTY_CACHE_DIR={0}/cache PS1='$ ' sh",
            session.home.path().display()
        );
        session.tmux(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "100",
            "-y",
            "30",
            &shell,
        ]);
        Some(session)
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// Sends keys one by one. An Escape with a key after it is given time
    /// to be taken alone: a terminal tells Esc from Alt+key only by the gap
    /// after it, so on a busy machine `Escape q` could arrive as Alt+q. It
    /// waits until the screen shows the Esc was handled (or, for an Esc
    /// that changes nothing, two seconds).
    fn keys(&self, keys: &[&str]) {
        for (at, key) in keys.iter().enumerate() {
            let before = (*key == "Escape" && at + 1 < keys.len()).then(|| self.screen());
            self.tmux(&["send-keys", "-t", "e2e", key]);
            match before {
                Some(before) => {
                    let deadline = Instant::now() + Duration::from_secs(2);
                    while self.screen() == before && Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                None => std::thread::sleep(Duration::from_millis(80)),
            }
        }
    }

    /// Runs a shell command line in the pane.
    fn run(&self, line: &str) {
        self.type_text(line);
        self.keys(&["Enter"]);
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{text:?} never appeared; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The demo's own data folder: its gallery, journal and state are
    /// kept apart from the real ones.
    fn data(&self) -> PathBuf {
        self.home.path().join("data/demo")
    }

    fn artty(&self) -> String {
        format!(
            "{} --demo --startuptime {}; echo EXIT=$?",
            env!("CARGO_BIN_EXE_artty"),
            self.home.path().join("startuptime.txt").display()
        )
    }

    /// The shell took a command line and ran it: raw mode and the
    /// alternate screen are gone.
    fn assert_shell_usable(&self) {
        self.run("echo ok-$((40+2)); stty -a | grep -o ' icanon' ");
        let screen = self.wait_for("ok-42");
        assert!(
            screen.contains(" icanon"),
            "the terminal is still raw:\n{screen}"
        );
    }

    /// The pid of the process running in the pane's shell.
    fn child_pid(&self) -> u32 {
        let shell: u32 = self
            .tmux(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"])
            .trim()
            .parse()
            .unwrap();
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .find(|pid| parent_of(*pid) == Some(shell))
            .expect("artty runs under the pane's shell")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn files_with(dir: &Path, extension: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == extension))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn prompt_to_image_in_demo_mode_then_quit_to_a_usable_shell() {
    let Some(s) = Session::start("flow") else {
        return;
    };
    s.run(&s.artty());
    s.wait_for("DEMO");
    s.type_text("a red fox in the snow");
    s.keys(&["C-g"]);
    let screen = s.wait_for("Gallery · 1 image ");
    assert!(screen.contains("a red fox in the snow"), "{screen}");
    let gallery = s.data().join("gallery");
    let images = files_with(&gallery, "png");
    let sidecars = files_with(&gallery, "json");
    assert_eq!(
        (images.len(), sidecars.len()),
        (1, 1),
        "{images:?} {sidecars:?}"
    );
    let sidecar = std::fs::read_to_string(&sidecars[0]).unwrap();
    assert!(
        sidecar.contains("\"prompt\": \"a red fox in the snow\""),
        "{sidecar}"
    );
    assert!(
        files_with(&s.data().join("journal"), "json").is_empty(),
        "the journal is empty once saved"
    );
    // Inside tmux without passthrough, thumbnails are half blocks: the
    // grid tile and the selected entry's picture.
    // The tile and the preview arrive in separate frames: wait for both.
    let picture_rows = |screen: &str| screen.lines().filter(|l| l.contains("▀▀▀▀")).count();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let screen = s.screen();
        if picture_rows(&screen) >= 6 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "a picture several rows high:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let thumbnails = files_with(&s.home.path().join("cache/demo/thumbnails"), "png");
    assert!(!thumbnails.is_empty(), "thumbnails are cached on disk");
    s.keys(&["Tab", "Tab", "Enter"]);
    s.wait_for("Preview");
    let preview = s.wait_for("▀▀▀▀▀▀▀▀");
    assert!(
        preview.contains("Preview"),
        "the full-size preview shows the picture:\n{preview}"
    );
    s.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(150));
    s.keys(&["Escape", "q"]);
    s.wait_for("EXIT=0");
    s.assert_shell_usable();
    let times = std::fs::read_to_string(s.home.path().join("startuptime.txt")).unwrap();
    assert!(times.contains(": first frame drawn"), "{times}");
}

#[test]
fn sigterm_mid_request_restores_the_terminal_and_the_next_start_shows_it() {
    let Some(s) = Session::start("term") else {
        return;
    };
    s.run(&s.artty());
    s.wait_for("DEMO");
    s.type_text("interrupted fox");
    s.keys(&["C-g"]);
    s.wait_for("running");
    let pid = s.child_pid();
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let stopped = s.wait_for("EXIT=143");
    assert!(
        stopped.contains("artty: stopped by SIGTERM; running jobs are kept in the journal"),
        "the message stays readable:\n{stopped}"
    );
    s.assert_shell_usable();
    let journal = files_with(&s.data().join("journal"), "json");
    assert_eq!(journal.len(), 1, "the request in flight is in the journal");
    let entry = std::fs::read_to_string(&journal[0]).unwrap();
    assert!(entry.contains("\"stopped_by\": \"SIGTERM\""), "{entry}");
    s.run(&s.artty());
    let screen = s.wait_for("interrupted");
    assert!(screen.contains("interrupted fox"), "{screen}");
    s.keys(&["Escape", "q"]);
    s.wait_for("EXIT=0");
}

/// The gallery folder is a file, so every save fails: the images stay in
/// memory with the job, quitting asks, and on the way out they go to the
/// rescue folder under $TMPDIR, which the normal screen names.
#[test]
fn images_the_gallery_refuses_are_rescued_when_quitting() {
    let Some(s) = Session::start("rescue") else {
        return;
    };
    let blocked = s.home.path().join("blocked");
    std::fs::write(&blocked, b"not a folder").unwrap();
    let tmp = s.home.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    s.run(&format!(
        "TMPDIR={} {} --demo --out {}; echo EXIT=$?",
        tmp.display(),
        env!("CARGO_BIN_EXE_artty"),
        blocked.display()
    ));
    s.wait_for("DEMO");
    s.type_text("a refused fox");
    s.keys(&["C-g"]);
    s.wait_for("✗ not");
    s.keys(&["Escape", "q"]);
    let asked = s.wait_for("Quit?");
    assert!(asked.contains("gallery refused"), "{asked}");
    s.keys(&["y"]);
    // A long path wraps at 100 columns: lines are read joined.
    let screen = s.wait_for("EXIT=0").replace('\n', "");
    // Whole, from its first word: nothing moved the cursor back over it.
    assert!(
        screen.contains("artty: 1 image(s) the gallery refused are in"),
        "{screen}"
    );
    s.assert_shell_usable();
    let folders: Vec<PathBuf> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(screen.contains(&*folders[0].to_string_lossy()), "{screen}");
    assert_eq!(files_with(&folders[0], "png").len(), 1);
    let sidecars = files_with(&folders[0], "json");
    assert_eq!(sidecars.len(), 1);
    let sidecar = std::fs::read_to_string(&sidecars[0]).unwrap();
    assert!(sidecar.contains("a refused fox"), "{sidecar}");
}

#[test]
fn a_panic_on_the_ui_thread_restores_the_terminal_and_the_message_is_readable() {
    let Some(s) = Session::start("panic") else {
        return;
    };
    s.run(&format!(
        "ARTTY_DEBUG_PANIC_AFTER_FIRST_FRAME=1 {}",
        s.artty()
    ));
    let screen = s.wait_for("EXIT=101");
    assert!(
        screen.contains("panicked")
            && screen.contains("ARTTY_DEBUG_PANIC_AFTER_FIRST_FRAME is set"),
        "the message is on the normal screen:\n{screen}"
    );
    s.assert_shell_usable();
}

/// Parameters remembered from an earlier session: gpt-image-2 streams two
/// partial images, so the edit shows them before the result.
fn remember_streaming(data: &Path) {
    std::fs::create_dir_all(data).unwrap();
    std::fs::write(
        data.join("state.json"),
        r#"{"history":[],"last_model":"gpt-image-2","params":{"gpt-image-2":{"model":"gpt-image-2","stream":true,"partial_images":2}}}"#,
    )
    .unwrap();
}

#[test]
fn an_inpainting_edit_of_two_images_by_keyboard_in_demo_mode() {
    let Some(s) = Session::start("edit") else {
        return;
    };
    remember_streaming(&s.data());
    s.run(&s.artty());
    s.wait_for("DEMO");
    s.type_text("a red fox");
    s.keys(&["C-g"]);
    s.wait_for("Gallery · 1 image ");
    // Still typing in the prompt: a second image from a longer prompt.
    s.type_text(" in a straw hat");
    s.keys(&["C-g"]);
    s.wait_for("Gallery · 2 images");
    // To the gallery: the hat is newest; the fox is image 1, the hat image 2.
    s.keys(&["Escape", "Tab", "Tab", "Right", "e"]);
    s.wait_for("What will be sent");
    s.keys(&["Escape", "Left", "e"]);
    s.wait_for("Added as image 2");
    s.keys(&["m"]);
    s.wait_for("Mask painter");
    s.keys(&["r", "l", "l", "l", "l", "j", "j", "j", "r"]);
    let painter = s.wait_for("% to edit");
    assert!(!painter.contains(" 0% to edit"), "{painter}");
    s.keys(&["Enter"]);
    s.wait_for("matches image 1");
    // Back to the prompt (the panel stays open behind it) to say what to do.
    s.keys(&["Escape", "Tab"]);
    s.type_text(", the hat of image 2 on the fox of image 1");
    s.keys(&["C-g"]);
    s.wait_for("partial");
    s.wait_for("Gallery · 3 images");
    s.keys(&["Escape", "Tab", "Tab", "Enter"]);
    let details = s.wait_for("Edit of");
    assert!(
        details.contains("2 "),
        "both sources are listed:\n{details}"
    );
    s.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(150));
    s.keys(&["p"]);
    s.wait_for("The image it was made from");

    let gallery = s.data().join("gallery");
    let masks: Vec<PathBuf> = files_with(&gallery, "png")
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with("-mask.png"))
        .collect();
    assert_eq!(masks.len(), 1, "the painted mask is kept");
    let sidecars = files_with(&gallery, "json");
    assert_eq!(sidecars.len(), 3);
    let edit = sidecars
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|t| t.contains("\"endpoint\": \"edits\""))
        .expect("the edit's sidecar");
    let sidecar: serde_json::Value = serde_json::from_str(&edit).unwrap();
    assert_eq!(sidecar["sources"].as_array().unwrap().len(), 2, "{edit}");
    assert!(
        sidecar["sources"][0]["path"]
            .as_str()
            .unwrap()
            .contains("a-red-fox"),
        "{edit}"
    );
    assert!(
        sidecar["mask"]["path"]
            .as_str()
            .unwrap()
            .ends_with("-mask.png"),
        "{edit}"
    );
    s.keys(&["q"]);
    s.wait_for("EXIT=0");
}

/// The editor and a stop hand the terminal over and take it back without
/// asking where the cursor is (`CSI 6n`): that answer would be read by
/// two readers at once, and on a terminal that went away one of them spun.
#[test]
fn the_editor_and_a_stop_never_ask_for_the_cursor() {
    let Some(s) = Session::start("no-cursor-query") else {
        return;
    };
    let record = s.home.path().join("bytes.out");
    s.tmux(&[
        "pipe-pane",
        "-o",
        "-t",
        "e2e",
        &format!("cat >> {}", record.display()),
    ]);
    s.run(&format!("VISUAL=true {}", s.artty()));
    s.wait_for("Prompt");
    s.keys(&["M-e"]);
    s.wait_for("read back from the editor");
    let pid = s.child_pid().to_string();
    assert!(
        Command::new("kill")
            .args(["-TSTP", &pid])
            .status()
            .unwrap()
            .success()
    );
    s.wait_for("Stopped");
    s.run("fg");
    s.wait_for("Prompt");
    s.keys(&["Escape", "q"]);
    // The shell went on with `echo EXIT` when the job stopped: wait for
    // the process instead.
    wait_gone(&pid);
    let bytes = std::fs::read(&record).unwrap();
    assert!(bytes.len() > 1000, "the recording holds the app's frames");
    assert!(
        !bytes.windows(4).any(|w| w == b"\x1b[6n"),
        "the app asked for the cursor position"
    );
    // Presses, releases and drags only: any-motion tracking (1003) would
    // wake the app on every pointer move.
    let has = |seq: &[u8]| bytes.windows(seq.len()).any(|w| w == seq);
    assert!(has(b"\x1b[?1000h") && has(b"\x1b[?1002h") && has(b"\x1b[?1006h"));
    assert!(
        !has(b"\x1b[?1003h"),
        "any-motion mouse tracking was turned on"
    );
}

/// The screen is drawn only when something changed: keys nothing is bound
/// to in the gallery draw no frame (each of them drew one before), and a
/// key that opens the help draws it.
#[test]
fn keys_that_change_nothing_draw_nothing() {
    let Some(s) = Session::start("no-idle-frames") else {
        return;
    };
    let frames = s.home.path().join("frames.jsonl");
    s.run(&format!(
        "ARTTY_DEBUG_FRAMES={} {}",
        frames.display(),
        s.artty()
    ));
    s.wait_for("DEMO");
    s.keys(&["Escape", "Tab", "Tab"]);
    s.wait_for("Enter details");
    let count = || {
        std::fs::read_to_string(&frames)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let before = count();
    for _ in 0..20 {
        s.keys(&["F12"]);
    }
    // Help is drawn after the F12s were read: the app has taken them all.
    s.keys(&["?"]);
    s.wait_for("Help");
    let drawn = count() - before;
    assert!(
        (1..=2).contains(&drawn),
        "20 unbound keys and the help drew {drawn} frames"
    );
    s.keys(&["q", "q"]);
    s.wait_for("EXIT=0");
}

/// A stop artty cannot see (SIGSTOP) while the shell cooks the terminal,
/// as zsh does on `fg` with the modes it saved: once continued, the app
/// takes raw mode and the screen back and draws everything again, instead
/// of leaving keys echoed over the shell's lines.
#[test]
fn a_stop_artty_never_saw_is_taken_back_on_continue() {
    let Some(s) = Session::start("sigstop") else {
        return;
    };
    s.run(&s.artty());
    s.wait_for("DEMO");
    let pid = s.child_pid().to_string();
    let tty = std::fs::read_link(format!("/proc/{pid}/fd/0")).unwrap();
    let stty = |args: &[&str]| {
        let out = Command::new("stty")
            .arg("-F")
            .arg(&tty)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "stty {args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        stty(&["-a"]).contains("-icanon"),
        "the app runs in raw mode"
    );
    assert!(
        Command::new("kill")
            .args(["-STOP", &pid])
            .status()
            .unwrap()
            .success()
    );
    // The shell goes on with `echo EXIT` when the job stops.
    s.wait_for("EXIT=147");
    stty(&["sane"]);
    s.run("clear; fg");
    s.wait_for("DEMO");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !stty(&["-a"]).contains("-icanon") {
        assert!(
            Instant::now() < deadline,
            "the terminal stayed cooked after fg"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Keys reach the app one by one again: the help opens on `?` alone.
    s.keys(&["Escape", "?"]);
    s.wait_for("Help");
    s.keys(&["Escape", "q"]);
    wait_gone(&pid);
}

/// Waits for a process to end: after a stop the shell has already gone
/// on, so its `echo EXIT` cannot tell.
fn wait_gone(pid: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(Instant::now() < deadline, "artty did not quit after fg");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The demo check, as a person does it: lines submitted to the Batch API
/// from `B`, the terminal closed (SIGHUP), the app opened again, the batch
/// followed in the Batches view and fetched: an image per line, each once,
/// their sidecars naming the batch, however often `f` is pressed. (24
/// lines: the demo server draws every picture when the batch ends, which a
/// debug build does slowly.)
#[test]
fn a_batch_submitted_from_the_app_survives_a_closed_terminal_and_is_fetched_once() {
    const LINES: u64 = 24;
    let Some(s) = Session::start("batch") else {
        return;
    };
    let file = s.home.path().join("catalogue.txt");
    let lines: String = (1..=LINES)
        .map(|n| format!("product shot {n}, white background\n"))
        .collect();
    std::fs::write(&file, lines).unwrap();
    s.run(&s.artty());
    s.wait_for("DEMO");
    s.keys(&["Tab", "Tab", "B"]);
    s.wait_for("Run a batch file");
    s.keys(&["C-u"]);
    s.type_text(&file.display().to_string());
    s.keys(&["Enter"]);
    let asked = s.wait_for("submit to the Batch API");
    assert!(asked.contains(&format!("Run {LINES} line(s)")), "{asked}");
    s.keys(&["a"]);
    s.wait_for(&format!("Submitted {LINES} request(s) in 1 batch(es)"));
    // The terminal goes away: the batch is the server's now, and the journal's.
    let pid = s.child_pid();
    Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    s.wait_for("EXIT=");
    s.run("clear");

    s.run(&s.artty());
    s.wait_for("DEMO");
    s.keys(&["Tab", "Tab", "b"]);
    s.wait_for("Batches (Batch API) · 1");
    // The demo's batches finish 20 s after they were made; the view asks every 3 s.
    // Generous: a busy machine slows the pictures, not the outcome.
    let deadline = Instant::now() + Duration::from_secs(240);
    while !s.screen().contains("completed") {
        assert!(
            Instant::now() < deadline,
            "never completed:\n{}",
            s.screen()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    s.keys(&["f"]);
    let deadline = Instant::now() + Duration::from_secs(240);
    while !s.screen().contains(&format!("{LINES} line(s) saved")) {
        assert!(Instant::now() < deadline, "never fetched:\n{}", s.screen());
        std::thread::sleep(Duration::from_millis(200));
    }
    s.keys(&["f"]);
    s.wait_for(&format!(
        "was fetched: {LINES} line(s) saved, 0 made no image"
    ));
    let sidecars = files_with(&s.data().join("gallery"), "json");
    assert_eq!(sidecars.len(), LINES as usize);
    let mut lines_seen: Vec<u64> = sidecars
        .iter()
        .map(|path| {
            let sidecar: serde_json::Value =
                serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            assert!(
                sidecar["batch_api"]["batch_id"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("batch_")),
                "{sidecar}"
            );
            sidecar["batch_api"]["line"].as_u64().unwrap()
        })
        .collect();
    lines_seen.sort_unstable();
    assert_eq!(
        lines_seen,
        (1..=LINES).collect::<Vec<_>>(),
        "each line once"
    );
    s.wait_for(&format!("Gallery · {LINES} images"));
    s.keys(&["q"]);
    std::thread::sleep(Duration::from_millis(150));
    s.keys(&["q"]);
    s.wait_for("EXIT=0");
    s.assert_shell_usable();
}
