//! Where logs are written: stderr for commands, the `ARTTY_LOG` file for
//! the app. Every byte passes through [`crate::util::inert::escape_controls`], so
//! whatever a log line quotes (a server's message, a file name, a panic)
//! reaches a terminal or a `tail -f` as visible text, never as a command.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;

/// A writer that escapes control characters, keeping line breaks.
pub struct InertWriter<W>(pub W);

impl<W: Write> Write for InertWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The formatter hands over whole events, so a character is never split.
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::util::inert::escape_controls(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Makes [`InertWriter`]s around another `MakeWriter`'s writers.
pub struct MakeInert<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for MakeInert<M> {
    type Writer = InertWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        InertWriter(self.0.make_writer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_never_reach_the_sink() {
        let mut out = InertWriter(Vec::new());
        out.write_all(b"HTTP 400: \x1b]52;c;QUFB\x07 \xc2\x9b2J\n")
            .unwrap();
        let written = String::from_utf8(out.0).unwrap();
        assert_eq!(written, "HTTP 400: \\u{1b}]52;c;QUFB\\u{7} \\u{9b}2J\n");
    }
}
