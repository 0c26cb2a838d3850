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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settle {
    last_move: Option<Instant>,
    /// The preview is hidden until then.
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

    /// The preview waits at `now`.
    pub fn waits(&self, now: Instant) -> bool {
        self.until.is_some_and(|until| now < until)
    }

    /// When the loop must wake to show the preview, while it waits.
    pub fn due(&self, now: Instant) -> Option<Instant> {
        self.until.filter(|until| now < *until)
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
        assert!(!settle.waits(at(0)), "the first move shows its preview");
        settle.moved(at(30));
        assert!(settle.waits(at(30)), "a second move 30 ms later waits");
        settle.moved(at(60));
        assert_eq!(
            settle.due(at(100)),
            Some(at(60) + REST),
            "from the last move"
        );
        assert!(!settle.waits(at(60) + REST), "rested");
        assert_eq!(settle.due(at(60) + REST), None);
        settle.moved(at(1000));
        assert!(!settle.waits(at(1000)), "a move after a rest shows at once");
    }
}
