//! A harness for the real binary in real terminals: an X server of its
//! own (Xvfb), a terminal window (xterm, kitty) running artty, keys typed
//! through XTEST, screenshots of the window, and artty's frame log
//! (`ARTTY_DEBUG_FRAMES`) saying which cells hold which picture. The checks
//! are on pixels, so a picture that vanished is seen as vanished.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use image::RgbaImage;
use serde_json::Value;

/// How long a step may take before the test fails: long, since only a
/// broken app (not a busy machine) needs it.
pub const PATIENCE: Duration = Duration::from_secs(90);

/// The tools the harness runs, from Debian packages (.ci/run installs them).
pub const TOOLS: [&str; 6] = ["Xvfb", "xterm", "kitty", "xdotool", "xwd", "tmux"];
const CONVERT: &str = "/usr/bin/convert";

/// Whether every tool is there; when one is not, the test is skipped with
/// a line naming it, or fails under CI (see `tools`).
#[must_use]
pub fn require_tools() -> bool {
    TOOLS.iter().all(|tool| crate::tools::tool(tool))
        && crate::tools::installed(std::path::Path::new(CONVERT), "apt-get install imagemagick")
}

/// An X server on a display number it picked itself.
pub struct Display {
    server: Child,
    pub name: String,
    /// What the server printed, for the message when it fails.
    log: tempfile::NamedTempFile,
}

impl Display {
    /// Starts Xvfb and returns once a client has connected to it. A server
    /// that exits or never takes a client is replaced by a new one (twice):
    /// the test is about the terminal and artty, not about Xvfb starting.
    pub fn start() -> Display {
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Display::try_start() {
                Ok(display) => return display,
                Err(why) => failures.push(why),
            }
        }
        panic!("no X server took a client: {failures:#?}");
    }

    fn try_start() -> Result<Display, String> {
        let log = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "2048x1280x24",
                "-nolisten",
                "tcp",
                // Without it the server resets whenever its last client
                // leaves (each `xdotool` poll before the terminal is up),
                // and a terminal connecting during a reset fails with
                // "Can't open display": 7 times in 200 starts, measured.
                "-noreset",
            ])
            .stdout(Stdio::piped())
            .stderr(log.reopen().map(Stdio::from).unwrap_or(Stdio::null()))
            .spawn()
            .expect("Xvfb starts");
        let mut number = String::new();
        let mut out = server.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        let mut display = Display {
            server,
            name: format!(":{}", number.trim()),
            log,
        };
        if number.trim().is_empty() {
            return Err(format!("Xvfb said no display number: {}", display.said()));
        }
        let start = Instant::now();
        loop {
            if display.answers() {
                return Ok(display);
            }
            if let Ok(Some(status)) = display.server.try_wait() {
                return Err(format!("Xvfb exited ({status}): {}", display.said()));
            }
            if start.elapsed() > Duration::from_secs(30) {
                return Err(format!("no client in 30 s: {}", display.said()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether a client can open the display and ask it something.
    pub fn answers(&self) -> bool {
        Command::new("xdotool")
            .arg("getdisplaygeometry")
            .env("DISPLAY", &self.name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// What the server has printed so far, and whether it still runs.
    pub fn said(&mut self) -> String {
        let running = match self.server.try_wait() {
            Ok(None) => "running".to_string(),
            Ok(Some(status)) => format!("exited ({status})"),
            Err(e) => format!("unknown ({e})"),
        };
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        format!(
            "Xvfb {} is {running}; it printed: {}",
            self.name,
            text.trim()
        )
    }
}

impl Drop for Display {
    /// SIGTERM first, so Xvfb removes its lock file and socket and the next
    /// server does not meet a dead one's; SIGKILL if it has not gone in 5 s.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.server.id().to_string()])
            .status();
        let start = Instant::now();
        while matches!(self.server.try_wait(), Ok(None)) && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// Which terminal runs the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminal {
    /// xterm as a VT340: sixel.
    XtermSixel,
    /// kitty with software OpenGL: its graphics protocol.
    Kitty,
}

/// What runs inside the terminal around artty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    None,
    /// tmux with `allow-passthrough` on or off.
    Tmux {
        passthrough: bool,
    },
    /// The delaying pty proxy: every byte the terminal sends (keys and
    /// replies) arrives this many milliseconds late.
    Slow {
        millis: u32,
    },
}

/// One artty in one terminal window.
pub struct Session {
    pub display: Display,
    terminal: Child,
    pub window: String,
    pub frames: PathBuf,
    pub shots: PathBuf,
    work: tempfile::TempDir,
    tmux_socket: Option<String>,
    shot_count: u32,
    last_step: String,
}

/// A folder of data, config and cache with `count` demo images.
pub fn gallery(count: usize) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let prompts = ["a red fox", "a blue whale", "green hills", "a yellow sun"];
    for at in 0..count.div_ceil(4) {
        let status = Command::new(env!("CARGO_BIN_EXE_artty"))
            .args(["--demo", "-q", "generate", "-n", "4", "-s", "1024x1024"])
            // Into the gallery the app's demo opens: its own, beside the real one.
            .arg("--out")
            .arg(work.path().join("data/demo/gallery"))
            .arg(prompts[at % prompts.len()])
            .envs(dirs(work.path()))
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
    work
}

fn dirs(work: &Path) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("ARTTY_CONFIG_DIR", work.join("config")),
        ("ARTTY_DATA_DIR", work.join("data")),
        ("ARTTY_CACHE_DIR", work.join("cache")),
    ]
}

impl Session {
    /// Opens `terminal` at about `pixels`, running `artty --demo` in `wrap`.
    pub fn open(name: &str, terminal: Terminal, wrap: Wrap, pixels: (u32, u32)) -> Session {
        let work = gallery(16);
        let frames = work.path().join("frames.jsonl");
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("real-terminals")
            .join(name);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        let title = format!("artty-test-{}", std::process::id());
        let app = format!(
            "{} --demo; sleep 600",
            shell_quote(env!("CARGO_BIN_EXE_artty"))
        );
        let mut tmux_socket = None;
        let inner = match wrap {
            Wrap::None => app,
            Wrap::Slow { millis } => format!(
                "python3 {} {} sh -c {}",
                shell_quote(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/screens/terminals/slow_pty.py"
                )),
                f64::from(millis) / 1000.0,
                shell_quote(&app)
            ),
            Wrap::Tmux { passthrough } => {
                let conf = work.path().join("tmux.conf");
                std::fs::write(
                    &conf,
                    format!(
                        "set -g status off\nset -g allow-passthrough {}\nset -g default-terminal tmux-256color\n",
                        if passthrough { "on" } else { "off" }
                    ),
                )
                .unwrap();
                let socket = format!("artty-test-{}-{name}", std::process::id());
                let command = format!(
                    "tmux -L {socket} -f {} new-session {}",
                    shell_quote(conf.to_str().unwrap()),
                    shell_quote(&app)
                );
                tmux_socket = Some(socket);
                command
            }
        };
        let (columns, rows) = (pixels.0 / 10, pixels.1 / 20);
        let mut command = match terminal {
            Terminal::XtermSixel => {
                let mut c = Command::new("xterm");
                c.args([
                    "-ti",
                    "vt340",
                    "-b",
                    "0",
                    "-bw",
                    "0",
                    "+sb",
                    "-fa",
                    "DejaVu Sans Mono",
                ])
                .args(["-fs", "11", "-geometry", &format!("{columns}x{rows}+0+0")])
                .args(["-xrm", "XTerm*allowWindowOps: true"])
                .args(["-T", &title, "-e", "sh", "-c", &inner]);
                c
            }
            Terminal::Kitty => {
                let mut c = Command::new("kitty");
                c.env("LIBGL_ALWAYS_SOFTWARE", "1")
                    .args(["--config", "NONE", "-o", "window_padding_width=0"])
                    .args([
                        "-o",
                        "remember_window_size=no",
                        "-o",
                        "cursor_blink_interval=0",
                    ])
                    .args(["-o", "font_family=DejaVu Sans Mono", "-o", "font_size=11"])
                    .args(["-o", &format!("initial_window_width={}", pixels.0)])
                    .args(["-o", &format!("initial_window_height={}", pixels.1)])
                    .args(["-T", &title, "sh", "-c", &inner]);
                c
            }
        };
        command
            .envs(dirs(work.path()))
            .env("ARTTY_DEBUG_FRAMES", &frames)
            .env("ARTTY_LOG", shots.join("artty.log"))
            .env("VISUAL", "true")
            .env_remove("TMUX")
            .env_remove("NO_COLOR")
            .env_remove("COLORTERM")
            .env_remove("KITTY_WINDOW_ID")
            .stdout(Stdio::null());
        // A terminal that exits before it has a window never ran artty; it
        // is started again on a new X server, once, with both stories kept.
        let mut failures = Vec::new();
        let (display, terminal, window) = loop {
            let mut display = Display::start();
            let err = shots.join("terminal.err");
            command.env("DISPLAY", &display.name).stderr(
                std::fs::File::create(&err)
                    .map(Stdio::from)
                    .unwrap_or(Stdio::null()),
            );
            let mut terminal = command.spawn().expect("the terminal starts");
            match wait_for_window(&display.name, &title, &mut terminal) {
                Ok(window) => break (display, terminal, window),
                Err(status) => {
                    let said = std::fs::read_to_string(&err).unwrap_or_default();
                    failures.push(format!("{status}: {said}; {}", display.said()));
                    assert!(
                        failures.len() < 2,
                        "the terminal exited before showing a window: {failures:#?}"
                    );
                }
            }
        };
        let session = Session {
            display,
            terminal,
            window,
            frames,
            shots,
            work,
            tmux_socket,
            shot_count: 0,
            last_step: String::new(),
        };
        session.xdotool(&["windowfocus", "--sync", &session.window]);
        session.xdotool(&["mousemove", "--window", &session.window, "5", "5"]);
        session
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display.name)
            .output()
            .expect("xdotool runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Types keys (xdotool names: `ctrl+e`, `F1`, `Escape`, `Next`).
    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.xdotool(&["key", "--clearmodifiers", key]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.xdotool(&[
            "windowsize",
            &self.window,
            &width.to_string(),
            &height.to_string(),
        ]);
    }

    /// Every frame the app logged so far.
    pub fn frames(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.frames)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    pub fn last_frame(&self) -> Option<Value> {
        self.frames().pop()
    }

    /// Waits for a frame that satisfies `test`; returns it.
    pub fn wait_frame(&self, what: &str, test: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            if let Some(frame) = self.last_frame().filter(|f| test(f)) {
                return frame;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "never drew {what}; last frame: {:?}; screenshots in {}",
                    self.last_frame(),
                    self.shots.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A screenshot of the window, kept under `step` in the shots folder.
    pub fn shot(&mut self, step: &str) -> RgbaImage {
        let xwd = Command::new("xwd")
            .args(["-silent", "-id", &self.window])
            .env("DISPLAY", &self.display.name)
            .output()
            .expect("xwd runs");
        let mut convert = Command::new(CONVERT)
            .args(["xwd:-", "png:-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("convert runs");
        use std::io::Write;
        convert
            .stdin
            .take()
            .unwrap()
            .write_all(&xwd.stdout)
            .unwrap();
        let png = convert.wait_with_output().unwrap().stdout;
        if self.last_step != step {
            self.last_step = step.to_string();
            self.shot_count += 1;
        }
        // The latest screenshot of each step is kept.
        let path = self
            .shots
            .join(format!("{:02}-{step}.png", self.shot_count));
        let _ = std::fs::write(&path, &png);
        image::load_from_memory(&png)
            .map(|i| i.to_rgba8())
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()))
    }

    /// Takes screenshots until `test` holds for one (the terminal draws a
    /// little after the app writes), or fails naming `what`.
    pub fn wait_pixels(
        &mut self,
        step: &str,
        what: &str,
        test: impl Fn(&RgbaImage, &Value) -> Result<(), String>,
    ) {
        let start = Instant::now();
        let mut last;
        loop {
            let frame = self.last_frame().unwrap_or(Value::Null);
            let shot = self.shot(step);
            match test(&shot, &frame) {
                Ok(()) => return,
                Err(why) => last = why,
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "{what}: {last}; frame {frame}; screenshots in {}",
                    self.shots.display()
                );
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(socket) = &self.tmux_socket {
            let _ = Command::new("tmux")
                .args(["-L", socket, "kill-server"])
                .status();
        }
        let _ = self.terminal.kill();
        let _ = self.terminal.wait();
        // The app's own process (and the proxy) go with the X server's
        // clients; what is left is killed by its folder.
        let _ = Command::new("pkill")
            .args(["-f", &self.work.path().display().to_string()])
            .status();
    }
}

/// The terminal's window id, or how the terminal exited before it had one.
fn wait_for_window(display: &str, title: &str, terminal: &mut Child) -> Result<String, String> {
    let start = Instant::now();
    loop {
        let out = Command::new("xdotool")
            .args(["search", "--name", title])
            .env("DISPLAY", display)
            .output()
            .expect("xdotool runs");
        let text = String::from_utf8_lossy(&out.stdout);
        if let Some(id) = text.lines().next().filter(|l| !l.is_empty()) {
            return Ok(id.to_string());
        }
        if let Ok(Some(status)) = terminal.try_wait() {
            return Err(format!("the terminal exited ({status})"));
        }
        assert!(
            start.elapsed() < PATIENCE,
            "no terminal window appeared on {display}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A cell rectangle `[x, y, width, height]` from the frame log.
pub fn cells(value: &Value) -> [u32; 4] {
    let part = |i: usize| value[i].as_u64().unwrap_or(0) as u32;
    [part(0), part(1), part(2), part(3)]
}

/// Pixel size of a cell in `shot`, from the window and the app's size in
/// cells (terminals leave less than a cell over at the right and bottom).
pub fn cell_pixels(shot: &RgbaImage, frame: &Value) -> (u32, u32) {
    let size = &frame["size"];
    let (columns, rows) = (
        size[0].as_u64().unwrap_or(1).max(1) as u32,
        size[1].as_u64().unwrap_or(1).max(1) as u32,
    );
    (shot.width() / columns, shot.height() / rows)
}

/// Whether one character cell looks like part of a picture: more than
/// one colour, and smooth (no neighbouring pixels far apart). Text has
/// sharp glyph edges, blank cells and flat areas one colour; a photo-like
/// picture, drawn in pixels or in half blocks, is varied and smooth.
fn picture_cell(shot: &RgbaImage, left: u32, top: u32, (cw, ch): (u32, u32)) -> bool {
    let (right, bottom) = ((left + cw).min(shot.width()), (top + ch).min(shot.height()));
    if right <= left + 1 || bottom <= top + 1 {
        return false;
    }
    let mut colours = std::collections::HashSet::new();
    for y in top..bottom {
        for x in left..right {
            let p = shot.get_pixel(x, y).0;
            colours.insert([p[0], p[1], p[2]]);
            for (nx, ny) in [(x + 1, y), (x, y + 1)] {
                if nx < right && ny < bottom {
                    let q = shot.get_pixel(nx, ny).0;
                    let jump = (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap_or(0);
                    if jump > 48 {
                        return false;
                    }
                }
            }
        }
    }
    colours.len() >= 2
}

/// The share of a cell rectangle's cells that look like a picture.
pub fn picture_share(shot: &RgbaImage, frame: &Value, rect: [u32; 4]) -> f64 {
    let cell = cell_pixels(shot, frame);
    let mut hits = 0;
    for row in rect[1]..rect[1] + rect[3] {
        for column in rect[0]..rect[0] + rect[2] {
            hits += usize::from(picture_cell(shot, column * cell.0, row * cell.1, cell));
        }
    }
    hits as f64 / f64::from((rect[2] * rect[3]).max(1))
}

/// A picture's area at least this much picture-like holds a picture (the
/// demo's pictures have a flat disc in the middle).
pub const PICTURE: f64 = 0.3;
/// An area at most this much picture-like holds none.
pub const NO_PICTURE: f64 = 0.02;

/// Every ready picture of the frame (at least `at_least`) shows one.
pub fn pictures_shown(shot: &RgbaImage, frame: &Value, at_least: usize) -> Result<(), String> {
    let pictures: Vec<&Value> = frame["pictures"]
        .as_array()
        .map(|a| a.iter().filter(|p| p["ready"] == true).collect())
        .unwrap_or_default();
    if pictures.len() < at_least {
        return Err(format!(
            "{} pictures ready, wanted {at_least}",
            pictures.len()
        ));
    }
    for picture in pictures {
        let rect = cells(&picture["area"]);
        let share = picture_share(shot, frame, rect);
        if share < PICTURE {
            return Err(format!(
                "the picture at cells {rect:?} is only {:.0} % picture",
                share * 100.0
            ));
        }
    }
    Ok(())
}

/// The popup area holds no picture.
pub fn no_picture_in(shot: &RgbaImage, frame: &Value, rect: [u32; 4]) -> Result<(), String> {
    let share = picture_share(shot, frame, rect);
    if share > NO_PICTURE {
        return Err(format!(
            "the popup at cells {rect:?} is {:.1} % picture",
            share * 100.0
        ));
    }
    Ok(())
}
