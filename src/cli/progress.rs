//! Progress on stderr while a command waits: a spinner line with the stage
//! and the time so far for one request, a bar for a batch. Both are drawn
//! by indicatif from its own ticking thread, so a request that takes two
//! minutes shows its clock moving, not a line frozen at `sending (0 s)`.
//! Nothing is drawn under `-q` or when stderr is not a terminal (a log
//! file, a pipe, CI), where escape codes would only be noise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::api::Progress;
use crate::util::inert::inert;

/// How often the line is redrawn while nothing else happens: often enough
/// that the clock visibly moves (four times a second and more).
pub const TICK: Duration = Duration::from_millis(100);

/// Whether progress is drawn at all.
pub fn live(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn bar(live: bool, len: Option<u64>, template: &str) -> ProgressBar {
    let target = if live {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = match len {
        Some(len) => ProgressBar::with_draw_target(Some(len), target),
        None => ProgressBar::with_draw_target(None, target),
    };
    // The templates are constants: one that does not parse is a bug that
    // a test meets first, and the default style stands in.
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("#>-"));
    }
    if live {
        bar.enable_steady_tick(TICK);
    }
    bar
}

/// `⠹ artty: receiving · 12 s` for one request.
pub struct RequestLine {
    bar: ProgressBar,
}

impl RequestLine {
    pub fn new(live: bool) -> RequestLine {
        let line = RequestLine {
            bar: bar(live, None, "{spinner} artty: {msg} · {elapsed}"),
        };
        line.bar.set_message("starting");
        line
    }

    pub fn on(&mut self, progress: &Progress) {
        self.bar.set_message(stage(progress));
    }

    pub fn done(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for RequestLine {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// What a request is doing, in a few words.
pub fn stage(progress: &Progress) -> String {
    match progress {
        Progress::Sending { attempt: 1 } => "sending".to_string(),
        Progress::Sending { attempt } => format!("sending (attempt {attempt})"),
        Progress::Retrying { wait, reason, .. } => format!(
            "retrying in {:.1} s: {}",
            wait.as_secs_f64(),
            inert(reason, 120)
        ),
        Progress::Receiving => "waiting for the image".into(),
        Progress::Partial { index, .. } => format!("partial image {}", index + 1),
        Progress::Downloading { index, of } => {
            format!("downloading image {} of {of}", index + 1)
        }
    }
}

/// `[#######>----------] 7/12 · 1 failed · 3 running · 1m 04s` for a batch.
pub struct BatchBar {
    bar: ProgressBar,
}

impl BatchBar {
    pub fn new(live: bool, total: usize, slots: usize) -> BatchBar {
        let bar = bar(
            live,
            Some(total as u64),
            "[{bar:24}] {pos}/{len} · {msg} · {elapsed}",
        );
        let batch = BatchBar { bar };
        batch.update(0, 0, total.min(slots));
        batch
    }

    pub fn update(&self, finished: usize, failed: usize, running: usize) {
        self.bar.set_position(finished as u64);
        self.bar
            .set_message(format!("{failed} failed · {running} running"));
    }

    /// Runs `f` (printing a saved image or a failed line) with the bar off
    /// the screen, so lines on stdout and stderr never land inside it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    pub fn done(&self) {
        self.bar.finish_and_clear();
    }
}
