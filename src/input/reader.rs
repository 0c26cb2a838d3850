//! The one reader of the terminal: a thread that reads its bytes, decodes
//! them and sends keys, mouse events, pastes and terminal reports to the
//! app's loop. Stopped (to hand the terminal to an editor) by a byte on a
//! pipe it polls beside the terminal, so it never reads what the editor
//! should get.

#[cfg(unix)]
use std::io::Write;
#[cfg(unix)]
use std::os::fd::{AsFd, OwnedFd};
use std::thread::JoinHandle;

#[cfg(unix)]
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use tokio::sync::mpsc::UnboundedSender;

#[cfg(unix)]
use super::decode::Decoder;
use super::decode::Input;

/// What the reader sends: an input, or why the terminal can no longer be read.
pub type Read = Result<Input, String>;

pub struct Reader {
    #[cfg(unix)]
    stop: Option<OwnedFd>,
    thread: Option<JoinHandle<()>>,
}

impl Reader {
    /// Elsewhere than Unix the terminal is not read: the interactive app
    /// needs a Unix terminal (the command line does not).
    #[cfg(not(unix))]
    pub fn start(_tx: UnboundedSender<Read>) -> std::io::Result<Reader> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "the interactive app needs a Unix terminal (Linux or macOS)",
        ))
    }

    #[cfg(not(unix))]
    pub fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Starts reading the terminal: stdin when it is one, else /dev/tty.
    #[cfg(unix)]
    pub fn start(tx: UnboundedSender<Read>) -> std::io::Result<Reader> {
        let tty: OwnedFd = if rustix::termios::isatty(std::io::stdin()) {
            std::io::stdin().as_fd().try_clone_to_owned()?
        } else {
            std::fs::File::open("/dev/tty")?.into()
        };
        let (wake, stop) = rustix::pipe::pipe()?;
        let thread = std::thread::Builder::new()
            .name("terminal input".into())
            .spawn(move || read_loop(&tty, &wake, &tx))?;
        Ok(Reader {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Stops reading and waits until the thread no longer touches the terminal.
    #[cfg(unix)]
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = std::fs::File::from(stop).write_all(b"x");
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(unix)]
fn read_loop(tty: &OwnedFd, wake: &OwnedFd, tx: &UnboundedSender<Read>) {
    let mut decoder = Decoder::default();
    let mut inputs = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let timeout = decoder.wait().and_then(|w| Timespec::try_from(w).ok());
        let mut fds = [
            PollFd::new(tty, PollFlags::IN),
            PollFd::new(wake, PollFlags::IN),
        ];
        match poll(&mut fds, timeout.as_ref()) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => {
                let _ = tx.send(Err(format!("reading the terminal: {e}")));
                return;
            }
        }
        if !fds[1].revents().is_empty() {
            return;
        }
        let ready = fds[0].revents();
        if ready.is_empty() {
            decoder.timed_out(&mut inputs);
        } else {
            match rustix::io::read(tty, &mut chunk) {
                Ok(0) => {
                    let _ = tx.send(Err("input closed".into()));
                    return;
                }
                Ok(n) => decoder.feed(&chunk[..n], &mut inputs),
                Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
                Err(e) => {
                    let _ = tx.send(Err(format!("reading the terminal: {e}")));
                    return;
                }
            }
        }
        for input in inputs.drain(..) {
            if tx.send(Ok(input)).is_err() {
                return;
            }
        }
    }
}
