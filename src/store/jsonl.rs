//! Lines of a JSON Lines file read one at a time, each within a limit: a
//! Batch API output file is gigabytes of base64, so it is never read
//! whole, and a line longer than the limit is skipped (and said so)
//! rather than grown without end.

use std::path::Path;

use tokio::io::{AsyncBufReadExt, BufReader};

/// One line as read.
#[derive(Debug, PartialEq)]
pub enum Line<'a> {
    /// Its bytes, without the newline.
    Text(&'a [u8]),
    /// Longer than the limit: skipped, with the bytes it had.
    TooLong(u64),
}

pub struct JsonlReader {
    reader: BufReader<tokio::fs::File>,
    buffer: Vec<u8>,
    max_line: usize,
}

impl JsonlReader {
    pub async fn open(path: &Path, max_line: usize) -> std::io::Result<JsonlReader> {
        let file = tokio::fs::File::open(path).await?;
        Ok(JsonlReader {
            reader: BufReader::with_capacity(256 * 1024, file),
            buffer: Vec::new(),
            max_line,
        })
    }

    /// The next non-blank line, or `None` at the end of the file.
    pub async fn next_line(&mut self) -> std::io::Result<Option<Line<'_>>> {
        loop {
            self.buffer.clear();
            let mut length = 0u64;
            let mut ended = false;
            loop {
                let available = self.reader.fill_buf().await?;
                if available.is_empty() {
                    break;
                }
                let (take, newline) = match available.iter().position(|&b| b == b'\n') {
                    Some(at) => (at + 1, true),
                    None => (available.len(), false),
                };
                length += take as u64;
                if length <= self.max_line as u64 + 1 {
                    self.buffer.extend_from_slice(&available[..take]);
                } else if !self.buffer.is_empty() {
                    // Past the limit: what was kept is let go at once.
                    self.buffer = Vec::new();
                }
                self.reader.consume(take);
                if newline {
                    ended = true;
                    break;
                }
            }
            if length == 0 {
                return Ok(None);
            }
            let content = length - u64::from(ended);
            if content > self.max_line as u64 {
                return Ok(Some(Line::TooLong(content)));
            }
            if ended {
                self.buffer.pop();
            }
            if self.buffer.last() == Some(&b'\r') {
                self.buffer.pop();
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // A buffer grown by one huge line is not kept for the small ones after it.
            if self.buffer.capacity() > 4 * self.max_line.max(1 << 20) {
                self.buffer.shrink_to(self.buffer.len());
            }
            return Ok(Some(Line::Text(&self.buffer)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(text: &[u8], max: usize) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.jsonl");
        std::fs::write(&path, text).unwrap();
        let mut reader = JsonlReader::open(&path, max).await.unwrap();
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().await.unwrap() {
            out.push(match line {
                Line::Text(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                Line::TooLong(n) => format!("too long: {n}"),
            });
        }
        out
    }

    #[tokio::test]
    async fn lines_are_read_blank_ones_skipped_and_long_ones_named() {
        let text = b"{\"a\":1}\r\n\n  \n0123456789ABCDEF\n{\"b\":2}";
        assert_eq!(
            lines_of(text, 10).await,
            ["{\"a\":1}", "too long: 16", "{\"b\":2}"]
        );
        assert_eq!(lines_of(b"", 10).await, Vec::<String>::new());
        assert_eq!(lines_of(b"0123456789\n", 10).await, ["0123456789"]);
    }
}
