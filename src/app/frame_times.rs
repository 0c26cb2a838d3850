//! `ARTTY_FRAME_TIMES=FILE`: how long each key press took to reach the
//! screen (from the loop waking with the key to the frame being written),
//! summarised into FILE when the app exits. scripts/keypress-latency.sh
//! uses it to measure the real binary while demo jobs stream.

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct FrameTimes {
    path: Option<std::path::PathBuf>,
    samples: Vec<Duration>,
}

impl FrameTimes {
    pub fn from_env() -> FrameTimes {
        FrameTimes {
            path: std::env::var_os("ARTTY_FRAME_TIMES").map(Into::into),
            samples: Vec::new(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.path.is_some()
    }

    pub fn record(&mut self, woke: Instant) {
        if self.enabled() {
            self.samples.push(woke.elapsed());
        }
    }

    /// `key presses N, median X ms, p90 Y ms, max Z ms`.
    pub fn summary(&self) -> String {
        let mut ms: Vec<f64> = self
            .samples
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            ms.get(((ms.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        format!(
            "key presses {}, median {:.3} ms, p90 {:.3} ms, max {:.3} ms\n",
            ms.len(),
            at(0.5),
            at(0.9),
            ms.last().copied().unwrap_or(0.0)
        )
    }

    pub fn write(&self) {
        if let Some(path) = &self.path {
            let _ = std::fs::write(path, self.summary());
        }
    }
}
