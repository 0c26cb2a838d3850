//! The signals the app answers: stop (SIGTERM, SIGHUP, SIGINT: restore
//! the terminal, keep jobs in the journal, exit 128 + the number), resize
//! (SIGWINCH), job control (SIGTSTP from `kill`, SIGCONT after `fg`).
//! Elsewhere than Unix only Ctrl+C exists, as a stop.

/// What a signal asks of the loop.
#[cfg_attr(not(unix), allow(dead_code))]
pub enum Signalled {
    Stop(&'static str, u8),
    Resized,
    Suspend,
    Continued,
}

#[cfg(unix)]
pub struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    winch: tokio::signal::unix::Signal,
    tstp: tokio::signal::unix::Signal,
    cont: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let raw = |s: rustix::process::Signal| signal(SignalKind::from_raw(s.as_raw()));
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
            winch: signal(SignalKind::window_change())?,
            tstp: raw(rustix::process::Signal::TSTP)?,
            cont: raw(rustix::process::Signal::CONT)?,
        })
    }

    /// The next signal.
    pub async fn next(&mut self) -> Signalled {
        tokio::select! {
            _ = self.winch.recv() => Signalled::Resized,
            _ = self.tstp.recv() => Signalled::Suspend,
            _ = self.cont.recv() => Signalled::Continued,
            _ = self.term.recv() => Signalled::Stop("SIGTERM", 143),
            _ = self.hup.recv() => Signalled::Stop("SIGHUP", 129),
            _ = self.int.recv() => Signalled::Stop("SIGINT", 130),
        }
    }
}

#[cfg(not(unix))]
pub struct Signals;

#[cfg(not(unix))]
impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    pub async fn next(&mut self) -> Signalled {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Signalled::Stop("SIGINT", 130),
            Err(_) => std::future::pending().await,
        }
    }
}
