//! The selection's preview waits for the selection to rest. A held key or
//! a burst of moves passes over entries nobody looks at; their large
//! previews would be decoded, encoded and, with sixel, sent whole for each
//! one (tens of kilobytes a key over SSH). The first move of a burst still
//! shows its preview at once; later moves in the burst hide it until no
//! move has come for [`REST`].

use std::time::{Duration, Instant};

/// How long the selection must stay put before the preview follows it
/// again: longer than a key repeat's interval (30–50 ms), short enough to
/// feel immediate once the key is let go.
pub const REST: Duration = Duration::from_millis(150);

/// Whether the preview waits is state, changed only by [`Settle::moved`]
/// and [`Settle::rested`], never by the clock alone: a frame drawn after
/// the rest but before `rested` still leaves the preview out, so it is
/// never on screen without having been asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settle {
    last_move: Option<Instant>,
    /// The preview waits until then, and until `rested` is told so.
    until: Option<Instant>,
}

impl Settle {
    /// The selection moved at `now`.
    pub fn moved(&mut self, now: Instant) {
        let in_burst = self
            .last_move
            .is_some_and(|at| now.saturating_duration_since(at) < REST);
        self.until = in_burst.then(|| now + REST);
        self.last_move = Some(now);
    }

    /// The loop woke at `now` for the rest: the preview follows, unless a
    /// later move pushed the rest further.
    pub fn rested(&mut self, now: Instant) {
        if self.until.is_some_and(|until| now >= until) {
            self.until = None;
        }
    }

    /// The preview waits.
    pub fn waits(&self) -> bool {
        self.until.is_some()
    }

    /// When the loop must wake and say `rested`, while the preview waits.
    pub fn due(&self) -> Option<Instant> {
        self.until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_move_shows_at_once_and_a_burst_waits_for_its_end() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut settle = Settle::default();
        settle.moved(at(0));
        assert!(!settle.waits(), "the first move shows its preview");
        settle.moved(at(30));
        assert!(settle.waits(), "a second move 30 ms later waits");
        settle.moved(at(60));
        assert_eq!(settle.due(), Some(at(60) + REST), "from the last move");
        settle.rested(at(100));
        assert!(settle.waits(), "woken too early: still waiting");
        settle.rested(at(60) + REST);
        assert!(!settle.waits(), "rested");
        assert_eq!(settle.due(), None);
        settle.moved(at(1000));
        assert!(!settle.waits(), "a move after a rest shows at once");
    }
}
