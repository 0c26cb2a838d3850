//! Setting the terminal up and putting it back, in one place: raw mode,
//! the alternate screen, bracketed paste and mouse reporting. The panic
//! hook restores the terminal when the UI thread panics, so the message is
//! readable; panics in background tasks leave the screen alone (the job
//! that panicked is reported in the app instead).

use std::io::{self, Stdout, Write, stdout};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ThreadId;

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub mod output;

use output::{Output, Shared};

pub type Tui = Terminal<CrosstermBackend<Output<Stdout>>>;

static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// The terminal is ours (raw mode, alternate screen). Leaving the
/// alternate screen also restores the cursor saved on entering it, so a
/// second leave would move the cursor back over whatever was printed
/// after the first one.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// The settings and counts of the one terminal output.
static OUTPUT: OnceLock<std::sync::Arc<Shared>> = OnceLock::new();

/// Takes over the terminal. Call from the thread that draws.
pub fn enter() -> io::Result<Tui> {
    install_panic_hook();
    setup()?;
    let shared = OUTPUT.get_or_init(Default::default).clone();
    Terminal::new(CrosstermBackend::new(Output::new(stdout(), shared)))
}

/// The terminal output's colour codes and byte count.
pub fn output() -> &'static Shared {
    OUTPUT.get_or_init(Default::default)
}

fn setup() -> io::Result<()> {
    TAKEN.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        MouseButtons
    )
}

/// Mouse reporting for presses, releases and drags (1000, 1002) in SGR
/// form (1006): what clicks, scrolling and the painter need. Not
/// crossterm's `EnableMouseCapture`, which adds any-motion tracking (1003),
/// so every pointer move over the window would wake the app.
struct MouseButtons;

impl crossterm::Command for MouseButtons {
    fn write_ansi(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1002h\x1b[?1006h")
    }

    /// A console without escape sequences gets no mouse: the sequences are
    /// the only way these modes are asked for.
    #[cfg(windows)]
    fn execute_winapi(&self) -> io::Result<()> {
        Ok(())
    }
}

/// Gives the terminal back as it was. Safe to call more than once.
pub fn leave() -> io::Result<()> {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let mut out = stdout();
    let shown = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let raw = disable_raw_mode();
    shown.and(raw)
}

/// Hands the terminal to another program (an editor) and takes it back.
pub fn suspended<T>(terminal: &mut Tui, run: impl FnOnce() -> T) -> io::Result<T> {
    leave()?;
    let result = run();
    setup()?;
    clear(terminal)?;
    Ok(result)
}

/// Raw mode set again, whatever the terminal's modes are now. crossterm's
/// `enable_raw_mode` does nothing while it believes raw mode is on, and a
/// shell may have restored its own modes behind its back.
pub fn raw_again() -> io::Result<()> {
    if !TAKEN.load(Ordering::SeqCst) {
        return Ok(());
    }
    disable_raw_mode()?;
    enable_raw_mode()
}

/// The whole terminal taken back after something else had it without
/// artty leaving first (a stop by SIGSTOP): raw mode, the alternate
/// screen, paste and mouse reporting, and a blank screen to draw on.
pub fn take_back(terminal: &mut Tui) -> io::Result<()> {
    if !TAKEN.load(Ordering::SeqCst) {
        return Ok(());
    }
    raw_again()?;
    setup()?;
    clear(terminal)
}

/// SIGTSTP (`kill -TSTP`, a job-control stop): gives the terminal back,
/// stops the process as the default action would, and takes the terminal
/// again once continued (`fg`). Ctrl+Z itself never sends it: raw mode
/// turns it into a key.
pub fn stop_until_continued(terminal: &mut Tui) -> io::Result<()> {
    suspended(terminal, || {
        // SIGSTOP cannot be caught: the shell sees the job stopped.
        #[cfg(unix)]
        {
            use rustix::process::{Signal, getpid, kill_process};
            let _ = kill_process(getpid(), Signal::STOP);
        }
    })
}

/// Blanks the screen and makes the next frame draw every cell. Not
/// ratatui's `Terminal::clear`: that asks the terminal where the cursor is
/// (`CSI 6n`) and reads the answer through crossterm's own reader, beside
/// artty's reader (which takes the answer, so crossterm waits), and on a
/// terminal that went away it spins reading nothing.
pub fn clear(terminal: &mut Tui) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

fn install_panic_hook() {
    if UI_THREAD.set(std::thread::current().id()).is_err() {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if UI_THREAD.get() == Some(&std::thread::current().id()) {
            let _ = leave();
            previous(info);
        } else {
            // Printing would scribble over the screen; the job reports it.
            tracing::error!("panic in a background task: {info}");
        }
    }));
}

/// Puts text on the clipboard with OSC 52, which terminals (and tmux with
/// `set-clipboard on`) pass to the local clipboard, over SSH too.
pub fn copy_osc52(terminal: &mut Tui, text: &str) -> io::Result<()> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let out = terminal.backend_mut();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}
