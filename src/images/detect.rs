//! Asking the terminal what it can draw. The queries go out once the
//! input reader runs; their answers arrive as [`Report`]s, at start-up or
//! late (a slow SSH link, tmux passing them through), and each one is
//! absorbed whenever it comes, so a late answer still upgrades the
//! graphics mode. Primary Device Attributes goes last: every terminal
//! answers it, and answers in order, so outside tmux its answer means the
//! others have come or never will.

use crate::input::report::{Report, hex};

use super::mode::Route;

/// The kitty query: a 1×1 image under id 31 that the terminal only checks
/// (`a=q`) and answers OK or with an error.
pub const KITTY_QUERY_ID: u32 = 31;
const KITTY_QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";
/// XTVERSION: the terminal's name and version.
const VERSION_QUERY: &[u8] = b"\x1b[>q";
/// XTSMGRAPHICS: the largest sixel image the terminal accepts.
const SIXEL_MAX_QUERY: &[u8] = b"\x1b[?2;1;0S";
/// Cell size in pixels (`CSI 6 ; height ; width t`).
const CELL_QUERY: &[u8] = b"\x1b[16t";
/// Text area size in pixels (`CSI 4 ; height ; width t`).
const AREA_QUERY: &[u8] = b"\x1b[14t";
/// The default background colour (for pictures in shades under NO_COLOR).
const BACKGROUND_QUERY: &[u8] = b"\x1b]11;?\x1b\\";
/// Primary Device Attributes; parameter 4 means sixel.
const DA1_QUERY: &[u8] = b"\x1b[c";
/// terminfo capabilities that say 24-bit colour works, and the colour count.
const CAPABILITIES: [&str; 3] = ["RGB", "Tc", "Co"];

/// What the terminal has said so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replies {
    /// `Some(true)` for OK, `Some(false)` for an error reply.
    pub kitty: Option<bool>,
    /// Width and height of a cell in pixels.
    pub cell: Option<(u16, u16)>,
    /// Width and height of the text area in pixels.
    pub area: Option<(u16, u16)>,
    /// The DA1 parameters, once the answer came.
    pub attributes: Option<Vec<u16>>,
    /// XTVERSION answers (inside tmux, tmux's own and perhaps the outer
    /// terminal's).
    pub versions: Vec<String>,
    /// The largest sixel image, in pixels.
    pub sixel_max: Option<(u32, u32)>,
    /// XTGETTCAP answers: the capability and its value, `None` if absent.
    pub capabilities: Vec<(String, Option<String>)>,
    /// The SGR a DECRQSS read back.
    pub rendition: Option<String>,
    pub background: Option<[u8; 3]>,
}

impl Replies {
    pub fn sixel(&self) -> bool {
        self.attributes.as_ref().is_some_and(|a| a.contains(&4))
    }

    /// Takes in one report; true when it told something new.
    pub fn absorb(&mut self, report: &Report) -> bool {
        let before = self.clone();
        match report {
            Report::Kitty { id, ok, .. } if *id == Some(KITTY_QUERY_ID) => self.kitty = Some(*ok),
            Report::DeviceAttributes(attributes) => self.attributes = Some(attributes.clone()),
            Report::CellPixels(w, h) => self.cell = Some((*w, *h)),
            Report::AreaPixels(w, h) => self.area = Some((*w, *h)),
            Report::SixelMaximum(w, h) if *w > 0 && *h > 0 => self.sixel_max = Some((*w, *h)),
            Report::Version(version) if !self.versions.contains(version) => {
                self.versions.push(version.clone());
            }
            Report::Capability(name, value) => {
                self.capabilities.retain(|(n, _)| n != name);
                self.capabilities.push((name.clone(), value.clone()));
            }
            Report::Rendition(text) => self.rendition = Some(text.clone()),
            Report::Background(rgb) => self.background = Some(*rgb),
            _ => {}
        }
        *self != before
    }

    /// The terminal's own XTVERSION answer (not tmux's).
    pub fn terminal_version(&self) -> Option<&str> {
        self.versions
            .iter()
            .map(String::as_str)
            .find(|v| !v.starts_with("tmux "))
    }

    /// A capability the terminal has, with its value.
    pub fn capability(&self, name: &str) -> Option<&str> {
        self.capabilities
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Start-up has heard enough to draw: outside tmux, the DA1 answer
    /// (terminals answer in order, so the others are in). Inside tmux,
    /// tmux answers DA1 itself at once; the outer terminal's kitty answer
    /// comes through passthrough later, so that one is waited for too.
    pub fn settled(&self, route: Route) -> bool {
        match route {
            Route::Direct => self.attributes.is_some(),
            Route::Tmux => self.attributes.is_some() && self.kitty.is_some(),
        }
    }
}

/// What to ask, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asking {
    pub route: Route,
    /// The terminal parses strings (APC, DCS, OSC); the Linux console
    /// does not, and would print them.
    pub strings: bool,
    /// Ask for the background colour (only needed under NO_COLOR).
    pub background: bool,
}

/// The query bytes; inside tmux the kitty and version queries go through
/// to the outer terminal as well.
pub fn queries(asking: Asking) -> Vec<u8> {
    let mut out = Vec::new();
    if asking.strings {
        match asking.route {
            Route::Direct => out.extend_from_slice(KITTY_QUERY),
            Route::Tmux => {
                super::tmux::wrap(KITTY_QUERY, &mut out);
                super::tmux::wrap(VERSION_QUERY, &mut out);
            }
        }
        for name in CAPABILITIES {
            out.extend_from_slice(format!("\x1bP+q{}\x1b\\", hex(name)).as_bytes());
        }
        if asking.background {
            out.extend_from_slice(BACKGROUND_QUERY);
        }
    }
    for query in [
        VERSION_QUERY,
        SIXEL_MAX_QUERY,
        CELL_QUERY,
        AREA_QUERY,
        DA1_QUERY,
    ] {
        out.extend_from_slice(query);
    }
    out
}

/// Replies read from bytes a terminal sent (for tests and tools).
pub fn parse(bytes: &[u8]) -> Replies {
    use crate::input::decode::{Decoder, Input};
    let mut decoder = Decoder::default();
    let mut inputs = Vec::new();
    decoder.feed(bytes, &mut inputs);
    let mut replies = Replies::default();
    for input in inputs {
        if let Input::Report(report) = input {
            replies.absorb(&report);
        }
    }
    replies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kitty_with_sizes_and_no_sixel() {
        let r = parse(b"\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.26.5)\x1b\\\x1b[6;20;10t\x1b[4;480;800t\x1b[?62;22c");
        assert_eq!(r.kitty, Some(true));
        assert_eq!(r.cell, Some((10, 20)));
        assert_eq!(r.area, Some((800, 480)));
        assert_eq!(r.terminal_version(), Some("kitty(0.26.5)"));
        assert!(!r.sixel());
        assert!(r.settled(Route::Direct));
        assert!(r.settled(Route::Tmux));
    }

    #[test]
    fn xterm_vt340_has_sixel_a_limit_and_direct_colour() {
        let r = parse(b"\x1bP>|XTerm(379)\x1b\\\x1b[?2;0;1000;1000S\x1bP1+r524742=382F382F38\x1b\\\x1b[6;13;6t\x1b[?63;1;2;4;6;9;15;16;22;28c");
        assert_eq!(r.kitty, None);
        assert!(r.sixel());
        assert_eq!(r.sixel_max, Some((1000, 1000)));
        assert_eq!(r.capability("RGB"), Some("8/8/8"));
        assert_eq!(r.cell, Some((6, 13)));
    }

    #[test]
    fn inside_tmux_the_outer_answer_is_waited_for() {
        let tmux_only = parse(b"\x1bP>|tmux 3.3a\x1b\\\x1b[?1;2c");
        assert!(!tmux_only.settled(Route::Tmux));
        assert_eq!(tmux_only.terminal_version(), None);
        let mut later = tmux_only.clone();
        assert!(later.absorb(&Report::Kitty {
            id: Some(31),
            ok: true,
            message: "OK".into()
        }));
        assert!(later.settled(Route::Tmux));
        assert!(!later.absorb(&Report::Other), "nothing new");
    }

    #[test]
    fn the_kitty_query_goes_through_tmux_and_da1_comes_last() {
        let direct = Asking {
            route: Route::Direct,
            strings: true,
            background: false,
        };
        let bytes = queries(direct);
        assert!(bytes.starts_with(KITTY_QUERY) && bytes.ends_with(DA1_QUERY));
        assert!(!String::from_utf8_lossy(&bytes).contains("]11;"));
        let wrapped = queries(Asking {
            route: Route::Tmux,
            ..direct
        });
        assert!(wrapped.starts_with(b"\x1bPtmux;\x1b\x1b_G"));
        assert!(wrapped.ends_with(DA1_QUERY));
        let console = queries(Asking {
            strings: false,
            ..direct
        });
        assert!(
            !console.contains(&b'_') && !console.windows(2).any(|w| w == b"\x1bP"),
            "no strings for the Linux console"
        );
    }
}
