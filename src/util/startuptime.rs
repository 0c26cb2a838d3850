//! `--startuptime FILE`: the time of each start-up phase, in the spirit of
//! nvim's flag: total milliseconds since the process started, and the
//! phase's own share.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

pub struct StartupTimes {
    origin: Instant,
    last: Instant,
    lines: Vec<(f64, f64, &'static str)>,
    path: Option<PathBuf>,
}

fn ms(from: Instant, to: Instant) -> f64 {
    to.duration_since(from).as_secs_f64() * 1000.0
}

impl StartupTimes {
    pub fn new(origin: Instant, path: Option<PathBuf>) -> StartupTimes {
        StartupTimes {
            origin,
            last: origin,
            lines: Vec::new(),
            path,
        }
    }

    pub fn mark(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.lines
            .push((ms(self.origin, now), ms(self.last, now), phase));
        self.last = now;
    }

    pub fn text(&self) -> String {
        let mut out = String::from("times in msec\n  clock    self: phase\n");
        for (clock, own, phase) in &self.lines {
            let _ = writeln!(out, "{clock:8.3} {own:8.3}: {phase}");
        }
        out
    }

    /// Appends this run's times to the file, as nvim does.
    pub fn write(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(file, "{}", self.text())
    }
}
