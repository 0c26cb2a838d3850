//! Everything the app writes to the terminal passes here, a frame at a
//! time (ratatui and the image layer flush once per frame):
//! - a full clear (`CSI 2J`, which ratatui sends on resize) is written as
//!   "home, erase below": the same blank screen, but kitty keeps the image
//!   data it holds (a 2J frees every image without a placement, so the
//!   pictures would not come back);
//! - on a terminal with 16 or 8 colours, 256-colour codes for the basic
//!   colours (crossterm writes `38;5;1` even for red) become the classic
//!   `31`/`91` codes such terminals know;
//! - bytes are counted, for the byte budgets in docs/images.md.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// How many colours the terminal draws, as far as output is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum ColourCodes {
    /// 256-colour and 24-bit codes pass unchanged.
    #[default]
    Extended = 0,
    /// Only the 16 classic colours (SGR 30–37, 90–97).
    Sixteen = 1,
    /// Only the 8 classic colours (bright ones fold onto them).
    Eight = 2,
}

/// What the loop sets and reads while ratatui owns the writer.
#[derive(Debug, Default)]
pub struct Shared {
    codes: AtomicU8,
    written: AtomicU64,
}

impl Shared {
    pub fn set_codes(&self, codes: ColourCodes) {
        self.codes.store(codes as u8, Ordering::Relaxed);
    }

    fn codes(&self) -> ColourCodes {
        match self.codes.load(Ordering::Relaxed) {
            1 => ColourCodes::Sixteen,
            2 => ColourCodes::Eight,
            _ => ColourCodes::Extended,
        }
    }

    /// Bytes written to the terminal since the start.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }
}

#[derive(Debug)]
pub struct Output<W: Write> {
    inner: W,
    frame: Vec<u8>,
    shared: Arc<Shared>,
}

impl<W: Write> Output<W> {
    pub fn new(inner: W, shared: Arc<Shared>) -> Output<W> {
        Output {
            inner,
            frame: Vec::new(),
            shared,
        }
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.frame.is_empty() {
            return self.inner.flush();
        }
        let frame = std::mem::take(&mut self.frame);
        let rewritten = rewrite(&frame, self.shared.codes());
        self.shared
            .written
            .fetch_add(rewritten.len() as u64, Ordering::Relaxed);
        self.inner.write_all(&rewritten)?;
        self.inner.flush()
    }
}

/// The frame as the terminal should get it.
pub fn rewrite(frame: &[u8], codes: ColourCodes) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame.len());
    let mut at = 0;
    while at < frame.len() {
        let Some(start) = find_csi(&frame[at..]).map(|s| s + at) else {
            out.extend_from_slice(&frame[at..]);
            break;
        };
        out.extend_from_slice(&frame[at..start]);
        let body = start + 2;
        let end = frame[body..]
            .iter()
            .position(|b| !(0x20..=0x3f).contains(b))
            .map(|e| e + body);
        let Some(end) = end.filter(|e| (0x40..=0x7e).contains(&frame[*e])) else {
            out.extend_from_slice(&frame[start..body]);
            at = body;
            continue;
        };
        let params = &frame[body..end];
        match frame[end] {
            b'J' if params == b"2" => out.extend_from_slice(b"\x1b[H\x1b[J"),
            b'm' if codes != ColourCodes::Extended => {
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(&basic_rendition(params, codes));
                out.push(b'm');
            }
            _ => out.extend_from_slice(&frame[start..=end]),
        }
        at = end + 1;
    }
    out
}

/// `ESC [`, but not a doubled ESC from a tmux-wrapped sequence.
fn find_csi(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(2)
        .enumerate()
        .find(|(at, w)| w == b"\x1b[" && (*at == 0 || bytes[at - 1] != 0x1b))
        .map(|(at, _)| at)
}

/// SGR parameters with `38;5;n` / `48;5;n` (n < 16) as classic codes.
fn basic_rendition(params: &[u8], codes: ColourCodes) -> Vec<u8> {
    let text = String::from_utf8_lossy(params);
    let parts: Vec<&str> = text.split(';').collect();
    let mut out: Vec<String> = Vec::new();
    let mut at = 0;
    while at < parts.len() {
        match (parts[at], parts.get(at + 1), parts.get(at + 2)) {
            (layer @ ("38" | "48"), Some(&"5"), Some(n)) => {
                match n.parse::<u8>() {
                    Ok(n) if n < 16 => {
                        let bright = n >= 8 && codes == ColourCodes::Sixteen;
                        let base = match (layer, bright) {
                            ("38", false) => 30,
                            ("38", true) => 90,
                            (_, false) => 40,
                            (_, true) => 100,
                        };
                        out.push((base + u32::from(n % 8)).to_string());
                    }
                    _ => out.extend([layer, "5", n].map(String::from)),
                }
                at += 3;
            }
            (part, _, _) => {
                out.push(part.to_string());
                at += 1;
            }
        }
    }
    out.join(";").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).replace('\x1b', "⎋")
    }

    #[test]
    fn a_full_clear_keeps_the_terminal_s_images() {
        let out = rewrite(b"a\x1b[2Jb\x1b[2Kc", ColourCodes::Extended);
        assert_eq!(text(&out), "a⎋[H⎋[Jb⎋[2Kc");
    }

    #[test]
    fn basic_colours_become_classic_codes_where_only_those_work() {
        let frame = b"\x1b[38;5;9m\x1b[48;5;4mx\x1b[1;38;5;200;48;5;15mz\x1b[39m";
        assert_eq!(
            text(&rewrite(frame, ColourCodes::Sixteen)),
            "⎋[91m⎋[44mx⎋[1;38;5;200;107mz⎋[39m"
        );
        assert_eq!(
            text(&rewrite(frame, ColourCodes::Eight)),
            "⎋[31m⎋[44mx⎋[1;38;5;200;47mz⎋[39m"
        );
        assert_eq!(rewrite(frame, ColourCodes::Extended), frame);
    }

    #[test]
    fn image_payloads_and_tmux_wrapping_pass_untouched() {
        let frame = b"\x1bPtmux;\x1b\x1b[2J\x1b\\\x1b_Ga=t;AAAA\x1b\\\x1b[";
        assert_eq!(rewrite(frame, ColourCodes::Sixteen), frame);
    }

    #[test]
    fn frames_are_written_at_flush_and_counted() {
        let shared = Arc::new(Shared::default());
        let mut output = Output::new(Vec::new(), shared.clone());
        shared.set_codes(ColourCodes::Eight);
        output.write_all(b"\x1b[2J\x1b[38;5;9m").unwrap();
        assert!(output.inner.is_empty());
        output.flush().unwrap();
        assert_eq!(output.inner, b"\x1b[H\x1b[J\x1b[31m");
        assert_eq!(shared.written(), 11);
    }
}
