//! Asking the terminal what it can draw, once, at start-up: after raw mode
//! is on and before the input reader starts, since the answers arrive on
//! stdin. The queries go out together, ending with Primary Device
//! Attributes, which every terminal answers and answers last; reading
//! stops there or at the deadline, so a terminal that answers nothing
//! costs the deadline and never hangs the app.

use std::io::Write;
use std::time::{Duration, Instant};

use super::kitty::Route;

/// The kitty query: a 1×1 image under id 31 that the terminal only checks
/// (`a=q`) and answers OK or with an error.
const KITTY_QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";
/// Cell size in pixels (`CSI 6 ; height ; width t`).
const CELL_QUERY: &[u8] = b"\x1b[16t";
/// Text area size in pixels (`CSI 4 ; height ; width t`).
const AREA_QUERY: &[u8] = b"\x1b[14t";
/// Primary Device Attributes; parameter 4 means sixel.
const DA1_QUERY: &[u8] = b"\x1b[c";

/// What the terminal said.
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
}

impl Replies {
    pub fn sixel(&self) -> bool {
        self.attributes.as_ref().is_some_and(|a| a.contains(&4))
    }
}

/// The query bytes, with the kitty query passed through tmux when inside it.
pub fn queries(route: Route) -> Vec<u8> {
    let mut out = Vec::new();
    match route {
        Route::Direct => out.extend_from_slice(KITTY_QUERY),
        Route::Tmux => super::tmux::wrap(KITTY_QUERY, &mut out),
    }
    for query in [CELL_QUERY, AREA_QUERY, DA1_QUERY] {
        out.extend_from_slice(query);
    }
    out
}

/// Reads the replies out of whatever came back; anything else (keys typed
/// meanwhile, garbage) is skipped.
pub fn parse(input: &[u8]) -> Replies {
    let mut replies = Replies::default();
    let mut at = 0;
    while let Some(start) = find(&input[at..], b"\x1b").map(|i| i + at) {
        at = start + 1;
        let rest = &input[start..];
        if let Some(body) = rest.strip_prefix(b"\x1b_G") {
            if let Some(end) = find(body, b"\x1b\\") {
                let body = &body[..end];
                if body.starts_with(b"i=31;") {
                    replies.kitty = Some(&body[5..] == b"OK");
                }
            }
        } else if let Some(body) = rest.strip_prefix(b"\x1b[") {
            parse_csi(body, &mut replies);
        }
    }
    replies
}

fn parse_csi(body: &[u8], replies: &mut Replies) {
    let end = body.iter().position(|b| (0x40..=0x7e).contains(b));
    let Some(end) = end else { return };
    let (params, last) = (&body[..end], body[end]);
    let private = params.first() == Some(&b'?');
    let numbers: Vec<u16> = String::from_utf8_lossy(if private { &params[1..] } else { params })
        .split(';')
        .filter_map(|n| n.parse().ok())
        .collect();
    match (last, private, numbers.as_slice()) {
        (b'c', true, _) => replies.attributes = Some(numbers),
        (b't', false, [6, h, w]) if *h > 0 && *w > 0 => replies.cell = Some((*w, *h)),
        (b't', false, [4, h, w]) if *h > 0 && *w > 0 => replies.area = Some((*w, *h)),
        _ => {}
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Sends the queries to the terminal and reads the replies until the DA1
/// answer or the deadline. The terminal must be in raw mode, with no one
/// else reading stdin.
pub fn ask_terminal(route: Route, deadline: Duration) -> std::io::Result<Replies> {
    use rustix::event::{PollFd, PollFlags, poll};
    let mut out = std::io::stdout();
    out.write_all(&queries(route))?;
    out.flush()?;
    let stdin = std::io::stdin();
    let until = Instant::now() + deadline;
    let mut input = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let timeout = rustix::event::Timespec::try_from(left).ok();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        if poll(&mut fds, timeout.as_ref())? == 0 {
            break;
        }
        let read = rustix::io::read(&stdin, &mut chunk)?;
        if read == 0 {
            break;
        }
        input.extend_from_slice(&chunk[..read]);
        if parse(&input).attributes.is_some() {
            break;
        }
    }
    Ok(parse(&input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kitty_with_sizes_and_no_sixel() {
        let replies = parse(b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[4;480;800t\x1b[?62;22c");
        assert_eq!(replies.kitty, Some(true));
        assert_eq!(replies.cell, Some((10, 20)));
        assert_eq!(replies.area, Some((800, 480)));
        assert_eq!(replies.attributes, Some(vec![62, 22]));
        assert!(!replies.sixel());
    }

    #[test]
    fn xterm_vt340_has_sixel_and_no_kitty() {
        let replies = parse(b"\x1b[6;13;6t\x1b[4;312;480t\x1b[?63;1;2;4;6;9;15;16;22;28c");
        assert_eq!(replies.kitty, None);
        assert!(replies.sixel());
        assert_eq!(replies.cell, Some((6, 13)));
    }

    #[test]
    fn kitty_errors_and_sixel_as_last_parameter() {
        let replies = parse(b"\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1b[?62;4c");
        assert_eq!(replies.kitty, Some(false));
        assert!(replies.sixel());
    }

    #[test]
    fn garbage_typed_keys_and_no_answer() {
        assert_eq!(parse(b""), Replies::default());
        let replies = parse(b"abc\x1b[A\x1b[6;0;0t\x1b[\x1b_Gi=7;OK\x1b\\\x1b[?1;2");
        assert_eq!(
            replies,
            Replies::default(),
            "zero sizes, other ids and cut replies are ignored"
        );
        assert_eq!(parse(b"\x1b[?1;2;40c").attributes, Some(vec![1, 2, 40]));
        assert!(!parse(b"\x1b[?1;2;40c").sixel());
    }

    #[test]
    fn the_kitty_query_goes_through_tmux_and_da1_comes_last() {
        let direct = queries(Route::Direct);
        assert!(direct.starts_with(KITTY_QUERY) && direct.ends_with(DA1_QUERY));
        let wrapped = queries(Route::Tmux);
        assert!(wrapped.starts_with(b"\x1bPtmux;\x1b\x1b_G"));
        assert!(wrapped.ends_with(DA1_QUERY));
    }
}
