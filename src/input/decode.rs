//! Terminal input bytes split into keys, mouse events, pastes and
//! terminal reports. Every escape sequence is read whole by its grammar
//! (CSI up to its final byte; APC, DCS and OSC strings up to ST or BEL),
//! so an answer the terminal sends late is still an answer: it becomes a
//! [`Report`], never a run of typed characters.

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent};

use super::keys;
use super::report::{self, Report, StringKind};

/// One thing read from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Event(Event),
    Report(Report),
}

/// Longest control sequence kept while waiting for its final byte.
const MAX_SEQUENCE: usize = 256;
/// Longest string (a report) or paste kept while waiting for its end.
const MAX_STRING: usize = 8 << 20;
/// After a lone ESC (or `ESC [`, `ESC O`): no more bytes this soon means
/// the Esc key (or Alt+[ / Alt+O) was pressed. Keys arrive whole.
const KEY_WAIT: Duration = Duration::from_millis(40);
/// An unfinished report or paste is given this long for its next bytes.
const STRING_WAIT: Duration = Duration::from_secs(1);

/// Bytes in, inputs out; keeps what waits for the rest of its sequence.
#[derive(Debug, Default)]
pub struct Decoder {
    buffer: Vec<u8>,
}

enum Step {
    Done(usize, Option<Input>),
    Incomplete,
}

impl Decoder {
    /// Adds `bytes` and appends every complete input to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Input>) {
        self.buffer.extend_from_slice(bytes);
        let mut at = 0;
        while at < self.buffer.len() {
            match step(&self.buffer[at..]) {
                Step::Done(used, input) => {
                    out.extend(input);
                    at += used;
                }
                Step::Incomplete => break,
            }
        }
        self.buffer.drain(..at);
        if self.buffer.len() > MAX_STRING {
            self.buffer.clear();
        }
    }

    /// How long to wait for the rest of what is pending, if anything is.
    pub fn wait(&self) -> Option<Duration> {
        match self.buffer.as_slice() {
            [] => None,
            [0x1b] | [0x1b, b'[' | b'O'] => Some(KEY_WAIT),
            _ => Some(STRING_WAIT),
        }
    }

    /// No more bytes came in time: a lone ESC is the Esc key, `ESC x`
    /// with nothing after it is Alt+x, a paste ends with what came, and an
    /// unfinished sequence or report is dropped (never typed).
    pub fn timed_out(&mut self, out: &mut Vec<Input>) {
        let pending = std::mem::take(&mut self.buffer);
        let key = |k: KeyEvent| Input::Event(Event::Key(k));
        match pending.as_slice() {
            [] => {}
            [0x1b] => out.push(key(KeyCode::Esc.into())),
            [
                0x1b,
                opener @ (b'[' | b'O' | b'_' | b'P' | b']' | b'X' | b'^'),
            ] => {
                out.push(key(keys::with_alt(keys::from_char(char::from(*opener)))));
            }
            [0x1b, b'[', b'2', b'0', b'0', b'~', text @ ..] => {
                out.push(Input::Event(Event::Paste(
                    String::from_utf8_lossy(text).into_owned(),
                )));
            }
            _ => {}
        }
    }
}

fn step(buf: &[u8]) -> Step {
    match buf[0] {
        0x1b => escape(buf),
        _ => character(buf).map_or(Step::Incomplete, |(used, key)| {
            Step::Done(used, key.map(|k| Input::Event(Event::Key(k))))
        }),
    }
}

/// One UTF-8 character (or control byte) as a key; `None` while cut off.
fn character(buf: &[u8]) -> Option<(usize, Option<KeyEvent>)> {
    let width = match buf[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Some((1, None)),
    };
    if buf.len() < width {
        return None;
    }
    Some(match std::str::from_utf8(&buf[..width]) {
        Ok(text) => (width, text.chars().next().map(keys::from_char)),
        Err(_) => (1, None),
    })
}

fn escape(buf: &[u8]) -> Step {
    let Some(&next) = buf.get(1) else {
        return Step::Incomplete;
    };
    let kind = match next {
        b'[' => return control_sequence(buf),
        b'O' => {
            return match buf.get(2) {
                None => Step::Incomplete,
                Some(b) => Step::Done(3, keys::from_ss3(*b).map(|k| Input::Event(Event::Key(k)))),
            };
        }
        b'_' => StringKind::Apc,
        b'P' => StringKind::Dcs,
        b']' => StringKind::Osc,
        b'X' | b'^' => StringKind::Other,
        0x1b => return Step::Done(1, Some(Input::Event(Event::Key(KeyCode::Esc.into())))),
        _ => {
            return match character(&buf[1..]) {
                None => Step::Incomplete,
                Some((used, key)) => Step::Done(
                    1 + used,
                    key.map(|k| Input::Event(Event::Key(keys::with_alt(k)))),
                ),
            };
        }
    };
    string(buf, kind)
}

/// `ESC [ params intermediates final`, a bracketed paste, or X10 mouse.
fn control_sequence(buf: &[u8]) -> Step {
    if buf.get(2) == Some(&b'M') {
        return match buf.get(3..6) {
            Some(&[a, b, c]) => Step::Done(
                6,
                keys::x10_mouse([a, b, c]).map(|m| Input::Event(Event::Mouse(m))),
            ),
            _ => Step::Incomplete,
        };
    }
    let mut at = 2;
    loop {
        let Some(&byte) = buf.get(at) else {
            return Step::Incomplete;
        };
        match byte {
            0x20..=0x3f => at += 1,
            0x40..=0x7e => break,
            // Not a control sequence after all: `ESC [` was Alt+[.
            _ => {
                let alt = keys::with_alt(keys::from_char('['));
                return Step::Done(2, Some(Input::Event(Event::Key(alt))));
            }
        }
        if at > MAX_SEQUENCE {
            return Step::Done(at, None);
        }
    }
    let (params, final_byte) = (&buf[2..at], buf[at]);
    let used = at + 1;
    if params == b"200" && final_byte == b'~' {
        return paste(buf, used);
    }
    if let Some(report) = report::from_csi(params, final_byte) {
        return Step::Done(used, Some(Input::Report(report)));
    }
    Step::Done(used, keys::from_csi(params, final_byte).map(Input::Event))
}

fn paste(buf: &[u8], start: usize) -> Step {
    const END: &[u8] = b"\x1b[201~";
    match find(&buf[start..], END) {
        Some(length) => {
            let text = String::from_utf8_lossy(&buf[start..start + length]).into_owned();
            Step::Done(
                start + length + END.len(),
                Some(Input::Event(Event::Paste(text))),
            )
        }
        None => Step::Incomplete,
    }
}

/// A string up to ST (`ESC \`) or BEL: always a report.
fn string(buf: &[u8], kind: StringKind) -> Step {
    let body = &buf[2..];
    let end = body
        .iter()
        .enumerate()
        .find(|(at, b)| **b == 0x07 || (**b == 0x1b && body.get(at + 1) == Some(&b'\\')))
        .map(|(at, b)| (at, if *b == 0x07 { 1 } else { 2 }));
    match end {
        Some((length, terminator)) => Step::Done(
            2 + length + terminator,
            Some(Input::Report(report::from_string(kind, &body[..length]))),
        ),
        None => Step::Incomplete,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn decode(chunks: &[&[u8]]) -> Vec<Input> {
        let mut decoder = Decoder::default();
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut out);
        }
        decoder.timed_out(&mut out);
        out
    }

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Input {
        Input::Event(Event::Key(KeyEvent::new(code, modifiers)))
    }

    fn typed(inputs: &[Input]) -> String {
        inputs
            .iter()
            .filter_map(|i| match i {
                Input::Event(Event::Key(KeyEvent {
                    code: KeyCode::Char(c),
                    ..
                })) => Some(*c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_kitty_reply_between_keys_is_a_report_not_text() {
        let out = decode(&[b"ab\x1b_Gi=31;OK\x1b\\c"]);
        assert_eq!(typed(&out), "abc");
        assert!(out.contains(&Input::Report(Report::Kitty {
            id: Some(31),
            ok: true,
            message: "OK".into()
        })));
    }

    #[test]
    fn replies_cut_across_reads_are_still_replies() {
        let reply: &[u8] = b"\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.26.5)\x1b\\\x1b[?62;4c\x1b[6;20;10t";
        for cut in 1..reply.len() {
            let out = decode(&[&reply[..cut], &reply[cut..]]);
            assert_eq!(typed(&out), "", "cut at {cut}: {out:?}");
            assert_eq!(out.len(), 4, "cut at {cut}: {out:?}");
        }
    }

    #[test]
    fn an_unfinished_reply_is_dropped_never_typed() {
        let out = decode(&[b"\x1b_Gi=31;O"]);
        assert!(out.is_empty(), "{out:?}");
        let out = decode(&[b"\x1bP>|kit"]);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn escape_alone_alt_keys_and_sequences() {
        assert_eq!(decode(&[b"\x1b"]), [key(KeyCode::Esc, KeyModifiers::NONE)]);
        assert_eq!(
            decode(&[b"\x1bq"]),
            [key(KeyCode::Char('q'), KeyModifiers::ALT)]
        );
        assert_eq!(
            decode(&[b"\x1b\x1b[A"]),
            [
                key(KeyCode::Esc, KeyModifiers::NONE),
                key(KeyCode::Up, KeyModifiers::NONE)
            ]
        );
        assert_eq!(
            decode(&[b"\x1b["]),
            [key(KeyCode::Char('['), KeyModifiers::ALT)]
        );
        assert_eq!(
            decode(&[b"\x1bOP"]),
            [key(KeyCode::F(1), KeyModifiers::NONE)]
        );
        assert_eq!(
            decode(&[b"\x1b[1;5B"]),
            [key(KeyCode::Down, KeyModifiers::CONTROL)]
        );
        assert_eq!(
            decode(&[b"\x07"]),
            [key(KeyCode::Char('g'), KeyModifiers::CONTROL)]
        );
        assert_eq!(typed(&decode(&[b"h\xc3", b"\xa9!"])), "hé!");
    }

    #[test]
    fn pastes_whole_even_across_reads() {
        let out = decode(&[b"\x1b[200~a cat\x1b[A", b" on a mat\x1b[201~x"]);
        assert_eq!(
            out[0],
            Input::Event(Event::Paste("a cat\x1b[A on a mat".into()))
        );
        assert_eq!(typed(&out[1..]), "x");
    }

    #[test]
    fn every_report_kind_is_consumed() {
        let replies: &[&[u8]] = &[
            b"\x1b[?2;0;1000;1000S",
            b"\x1bP1+r524742=382F382F38\x1b\\",
            b"\x1bP0+r5463\x1b\\",
            b"\x1bP1$r0;48:2::1:2:3m\x1b\\",
            b"\x1b]11;rgb:0000/0000/0000\x07",
            b"\x1b[>1;4000;29c",
            b"\x1b[?2026;2$y",
            b"\x1b[4;600;800t",
            b"\x1b[8;24;80t",
            b"\x1b[?1u",
            b"\x1b]52;c;aGk=\x1b\\",
        ];
        for reply in replies {
            let out = decode(&[reply]);
            assert!(
                matches!(out.as_slice(), [Input::Report(_)]),
                "{}: {out:?}",
                String::from_utf8_lossy(reply)
            );
        }
    }

    /// Whatever bytes come, decoding never panics and never loops.
    #[test]
    fn arbitrary_bytes_are_survived() {
        let mut seed = 7u32;
        let mut bytes = Vec::new();
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let pick = (seed >> 16) as u8;
            bytes.push(match pick % 8 {
                0 => 0x1b,
                1 => b'[',
                2 => b'\\',
                3 => b'_',
                _ => pick,
            });
        }
        let mut decoder = Decoder::default();
        let mut out = Vec::new();
        for chunk in bytes.chunks(37) {
            decoder.feed(chunk, &mut out);
        }
        decoder.timed_out(&mut out);
        assert!(decoder.wait().is_none());
        assert!(!out.is_empty());
    }
}
