//! Everything the commands print on stdout goes through here.
//!
//! Rust ignores SIGPIPE, so a reader that has gone (`artty gallery | head
//! -1`) turns every later write into an error, which `println!` makes a
//! panic. Here the first failed write marks stdout closed and later ones
//! are dropped: listings stop (they ask [`closed`]), commands that make
//! images finish saving them, and the command ends as ripgrep and bat do:
//! quietly, with status 0, when the reader left. Any other write error (a
//! full disk behind `> file`) is an error the user must see: it is kept and
//! reported once at the end with status 1.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// `text` and a newline on stdout, unless stdout is closed.
pub fn line(text: &str) {
    write(text, true);
}

/// `text` as it is on stdout, unless stdout is closed.
pub fn text(text: &str) {
    write(text, false);
}

/// Bytes as they are (an image written to `--out -`), unless stdout is closed.
pub fn bytes(bytes: &[u8]) {
    if closed() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let result = out.write_all(bytes).and_then(|()| out.flush());
    if let Err(err) = result {
        fail(&err);
    }
}

fn write(text: &str, newline: bool) {
    if closed() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let mut result = out.write_all(text.as_bytes());
    if newline {
        result = result.and_then(|()| out.write_all(b"\n"));
    }
    // Lines reach a pipe at once, as println! does with a line-buffered
    // stdout, so `artty batch … | while read` sees each as it is saved.
    if let Err(err) = result.and_then(|()| out.flush()) {
        fail(&err);
    }
}

fn fail(err: &std::io::Error) {
    CLOSED.store(true, Ordering::Relaxed);
    if err.kind() != std::io::ErrorKind::BrokenPipe {
        let mut failed = FAILED.lock().unwrap_or_else(|poison| poison.into_inner());
        failed.get_or_insert_with(|| err.to_string());
    }
}

/// Whether a write has failed: a listing stops here.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// A write error other than a reader leaving, to be reported at the end.
pub fn failure() -> Option<String> {
    FAILED
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .clone()
}
