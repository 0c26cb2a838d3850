//! The real binary in real terminals under Xvfb, checked on pixels: every
//! picture on screen must still be a picture after start, a resize, the
//! external editor, the help popup (whose area must hold none while it is
//! open) and a page down and back; through tmux with passthrough on and
//! off; and through a pty proxy that holds every reply back 1.5 s, where
//! the app must still end in the right mode with nothing typed into the
//! prompt. Screenshots of every step are kept under
//! target/tmp/real-terminals/<test>/.

use crate::terminals;

use std::sync::Mutex;

use serde_json::Value;
use terminals::{Session, Terminal, Wrap, cells, no_picture_in, pictures_shown};

/// One X server and terminal at a time: two would share two cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const SIXEL: &str = "sixel";
const KITTY: &str = "kitty graphics protocol";
const BLOCKS: &str = "half blocks (colour cells)";
const PLACEHOLDERS: &str = "kitty graphics through tmux (unicode placeholders)";

fn ready_ids(frame: &Value) -> Vec<u64> {
    let mut ids: Vec<u64> = frame["pictures"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["id"].as_u64()).collect())
        .unwrap_or_default();
    ids.sort();
    ids
}

fn all_ready(frame: &Value, at_least: usize) -> bool {
    let pictures = frame["pictures"].as_array().cloned().unwrap_or_default();
    pictures.len() >= at_least && pictures.iter().all(|p| p["ready"] == true)
}

fn bytes(frame: &Value) -> u64 {
    frame["bytes"].as_u64().unwrap_or(0)
}

fn signal(name: &str, pid: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), pid])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

/// Waits until the process is stopped (state `T` in /proc).
fn wait_until_stopped(pid: &str) {
    let start = std::time::Instant::now();
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .chars()
            .next();
        if state == Some('T') {
            return;
        }
        assert!(
            start.elapsed() < terminals::PATIENCE,
            "{pid} never stopped: {stat}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Start, resize, editor, stop and continue, help, page down and back, in
/// `terminal`.
fn pictures_survive_everything(name: &str, terminal: Terminal, graphics: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !terminals::require_tools() {
        return;
    }
    let mut s = Session::open(name, terminal, Wrap::None, (1200, 720));
    let first = s.wait_frame("the first page", |f| {
        f["graphics"] == graphics && all_ready(f, 2)
    });
    s.wait_pixels("start", "pictures after start", |shot, f| {
        pictures_shown(shot, f, 2)
    });
    let shown_first = bytes(&s.last_frame().unwrap());

    s.resize(1000, 620);
    let resized = s.wait_frame("the resized screen", |f| {
        f["size"] != first["size"] && all_ready(f, 2)
    });
    s.wait_pixels("resized", "pictures after a resize", |shot, f| {
        pictures_shown(shot, f, 2)
    });
    let after_resize = bytes(&s.last_frame().unwrap()) - shown_first;

    let before = s.frames().len();
    s.keys(&["ctrl+e"]);
    s.wait_frame("a frame after the editor", |_| true);
    s.wait_frame("the screen after the editor", |f| {
        f["frame"].as_u64().unwrap_or(0) as usize > before && all_ready(f, 2)
    });
    s.wait_pixels("editor", "pictures after Ctrl+E", |shot, f| {
        pictures_shown(shot, f, 2)
    });

    let frame = s.last_frame().unwrap();
    let pid = frame["pid"].to_string();
    let before = s.frames().len();
    signal("TSTP", &pid);
    wait_until_stopped(&pid);
    signal("CONT", &pid);
    s.wait_frame("the screen after a stop and continue", |f| {
        f["frame"].as_u64().unwrap_or(0) as usize > before && all_ready(f, 2)
    });
    s.wait_pixels(
        "continued",
        "pictures after SIGTSTP and SIGCONT",
        |shot, f| pictures_shown(shot, f, 2),
    );

    let under: Vec<[u32; 4]> = resized["pictures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| cells(&p["area"]))
        .collect();
    s.keys(&["F1"]);
    let help = s.wait_frame("the help popup", |f| !f["overlay"].is_null());
    let popup = cells(&help["overlay"]);
    let overlaps = |a: &[u32; 4]| {
        a[0] < popup[0] + popup[2]
            && popup[0] < a[0] + a[2]
            && a[1] < popup[1] + popup[3]
            && popup[1] < a[1] + a[3]
    };
    assert!(
        under.iter().any(overlaps),
        "the popup {popup:?} covers no picture {under:?}: the check would prove nothing"
    );
    s.wait_pixels("help", "no picture inside the help popup", |shot, f| {
        no_picture_in(shot, f, popup).and_then(|()| pictures_shown(shot, f, 0))
    });
    s.keys(&["Escape"]);
    s.wait_frame("the help closed", |f| {
        f["overlay"].is_null() && all_ready(f, 2)
    });
    s.wait_pixels("help-closed", "pictures after the popup", |shot, f| {
        pictures_shown(shot, f, 2)
    });

    let page_one = ready_ids(&s.last_frame().unwrap());
    s.keys(&["Tab", "Tab", "Next"]);
    s.wait_frame("the next page", |f| {
        all_ready(f, 2) && ready_ids(f) != page_one
    });
    s.wait_pixels("page-down", "pictures a page down", |shot, f| {
        pictures_shown(shot, f, 2)
    });
    s.keys(&["Prior"]);
    s.wait_frame("the first page again", |f| {
        all_ready(f, 2) && ready_ids(f) == page_one
    });
    s.wait_pixels("page-up", "pictures back on the first page", |shot, f| {
        pictures_shown(shot, f, 2)
    });
    eprintln!(
        "{name}: {shown_first} bytes to show the first page, {after_resize} more after a resize"
    );
}

#[test]
fn xterm_sixel_pictures_survive_everything() {
    pictures_survive_everything("xterm-sixel", Terminal::XtermSixel, SIXEL);
}

#[test]
fn kitty_pictures_survive_everything() {
    pictures_survive_everything("kitty", Terminal::Kitty, KITTY);
}

/// kitty's version, as `kitty --version` prints it.
fn kitty_version() -> (u32, u32) {
    let out = std::process::Command::new("kitty")
        .arg("--version")
        .output()
        .expect("kitty runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().nth(1).unwrap_or("0.0");
    let mut parts = version.split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// tmux inside kitty: pictures (placeholders where kitty draws them, else
/// half blocks), never empty boxes, and none over the popup.
fn through_tmux(name: &str, passthrough: bool) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !terminals::require_tools() {
        return;
    }
    let graphics = if passthrough && kitty_version() >= (0, 28) {
        PLACEHOLDERS
    } else {
        BLOCKS
    };
    let mut s = Session::open(
        name,
        Terminal::Kitty,
        Wrap::Tmux { passthrough },
        (1200, 720),
    );
    s.wait_frame("the first page", |f| {
        f["graphics"] == graphics && all_ready(f, 2)
    });
    s.wait_pixels("start", "pictures through tmux", |shot, f| {
        pictures_shown(shot, f, 2)
    });
    s.keys(&["F1"]);
    let help = s.wait_frame("the help popup", |f| !f["overlay"].is_null());
    let popup = cells(&help["overlay"]);
    s.wait_pixels("help", "no picture inside the help popup", |shot, f| {
        no_picture_in(shot, f, popup)
    });
    s.keys(&["Escape"]);
    s.wait_frame("the help closed", |f| {
        f["overlay"].is_null() && all_ready(f, 2)
    });
    s.wait_pixels("help-closed", "pictures after the popup", |shot, f| {
        pictures_shown(shot, f, 2)
    });
}

#[test]
fn tmux_in_kitty_with_passthrough_shows_pictures() {
    through_tmux("tmux-passthrough-on", true);
}

#[test]
fn tmux_in_kitty_without_passthrough_shows_pictures() {
    through_tmux("tmux-passthrough-off", false);
}

/// Every reply 1.5 s late: the app draws at once in half blocks, upgrades
/// when the answers come, and no answer ever reaches the prompt.
fn slow_link(name: &str, terminal: Terminal, graphics: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !terminals::require_tools() {
        return;
    }
    let mut s = Session::open(name, terminal, Wrap::Slow { millis: 1500 }, (1200, 720));
    s.wait_frame("the upgraded pictures", |f| {
        f["graphics"] == graphics && all_ready(f, 2)
    });
    s.wait_pixels("upgraded", "pictures after the late answers", |shot, f| {
        pictures_shown(shot, f, 2)
    });
    s.keys(&["a", "space", "c", "a", "t"]);
    s.wait_frame("the typed prompt", |f| f["prompt"] == "a cat");
    let frames = s.frames();
    assert_eq!(
        frames.first().map(|f| f["graphics"].clone()),
        Some(Value::from(BLOCKS)),
        "the first frame did not wait for the late answers"
    );
    let typed: Vec<&Value> = frames
        .iter()
        .map(|f| &f["prompt"])
        .filter(|p| !["", "a", "a ", "a c", "a ca", "a cat"].contains(&p.as_str().unwrap_or("?")))
        .collect();
    assert!(
        typed.is_empty(),
        "terminal replies reached the prompt: {typed:?}"
    );
}

#[test]
fn xterm_over_a_slow_link_ends_in_sixel_with_nothing_typed() {
    slow_link("slow-xterm", Terminal::XtermSixel, SIXEL);
}

#[test]
fn kitty_over_a_slow_link_ends_in_kitty_graphics_with_nothing_typed() {
    slow_link("slow-kitty", Terminal::Kitty, KITTY);
}

/// At 200×60 the full-size preview is larger than xterm's default sixel
/// limit (1000×1000), which drops a larger image whole: the app asks the
/// limit and stays within it.
#[test]
fn xterm_full_size_preview_appears_in_a_large_window() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !terminals::require_tools() {
        return;
    }
    let mut s = Session::open(
        "xterm-200x60",
        Terminal::XtermSixel,
        Wrap::None,
        (2000, 1200),
    );
    let first = s.wait_frame("the first page", |f| {
        f["graphics"] == SIXEL && all_ready(f, 2)
    });
    assert_eq!(first["size"], serde_json::json!([200, 60]));
    s.keys(&["Tab", "Tab", "Return"]);
    let preview = s.wait_frame("the full-size preview", |f| {
        !f["overlay"].is_null() && all_ready(f, 1)
    });
    let area = cells(&preview["pictures"][0]["area"]);
    let cell = &preview["cell"];
    let (cw, ch) = (
        cell[0].as_u64().unwrap() as u32,
        cell[1].as_u64().unwrap() as u32,
    );
    assert!(
        area[2] * cw > 1000 || area[3] * ch > 1000,
        "the preview area {area:?} fits in 1000×1000 anyway: the check proves nothing"
    );
    s.wait_pixels("preview", "the full-size preview", |shot, f| {
        pictures_shown(shot, f, 1)
    });
}
