//! An incremental parser for server-sent events (the WHATWG rules): bytes
//! arrive in chunks of any size, lines end in LF, CRLF or CR, `data:` lines
//! are joined with newlines, comments and unknown fields are skipped.
//! Each byte is looked at once, so a 20 MB `data:` line parses in linear time.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

#[derive(Debug, Default)]
pub struct SseParser {
    /// The current, unfinished line.
    line: Vec<u8>,
    /// The last byte was a CR, so an LF right after it ends nothing.
    after_cr: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feeds a chunk; returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        let mut rest = chunk;
        while !rest.is_empty() {
            if self.after_cr && rest[0] == b'\n' {
                rest = &rest[1..];
            }
            self.after_cr = false;
            match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(end) => {
                    self.line.extend_from_slice(&rest[..end]);
                    self.after_cr = rest[end] == b'\r';
                    rest = &rest[end + 1..];
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.on_line(&line) {
                        events.push(event);
                    }
                }
                None => {
                    self.line.extend_from_slice(rest);
                    rest = &[];
                }
            }
        }
        events
    }

    /// True when bytes of an unfinished event are still buffered.
    pub fn has_pending(&self) -> bool {
        !self.line.is_empty() || self.has_data
    }

    fn on_line(&mut self, line: &[u8]) -> Option<SseEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            return None;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(&value);
                self.has_data = true;
            }
            b"event" => self.event = Some(value.into_owned()),
            _ => {} // id, retry and unknown fields do not matter here
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if !std::mem::take(&mut self.has_data) {
            return None;
        }
        Some(SseEvent {
            event,
            data: std::mem::take(&mut self.data),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = ": comment\nid: 1\nretry: 10\nevent: image_generation.partial_image\ndata: {\"a\":\ndata: 1}\n\nevent: unknown\ndata: x\n\ndata: last\n\n";

    fn all_at_once(bytes: &[u8]) -> Vec<SseEvent> {
        SseParser::new().push(bytes)
    }

    #[test]
    fn fields_comments_and_multiline_data() {
        let events = all_at_once(STREAM.as_bytes());
        assert_eq!(events.len(), 3);
        assert_eq!(
            events[0].event.as_deref(),
            Some("image_generation.partial_image")
        );
        assert_eq!(events[0].data, "{\"a\":\n1}");
        assert_eq!(
            events[2],
            SseEvent {
                event: None,
                data: "last".into()
            }
        );
    }

    #[test]
    fn line_endings_and_chunking_do_not_matter() {
        let expected = all_at_once(STREAM.as_bytes());
        for ending in ["\r\n", "\r"] {
            assert_eq!(
                all_at_once(STREAM.replace('\n', ending).as_bytes()),
                expected,
                "{ending:?}"
            );
        }
        for text in [
            STREAM.to_string(),
            STREAM.replace('\n', "\r\n"),
            STREAM.replace('\n', "\r"),
        ] {
            let mut parser = SseParser::new();
            let byte_by_byte: Vec<SseEvent> = text
                .as_bytes()
                .iter()
                .flat_map(|b| parser.push(&[*b]))
                .collect();
            assert_eq!(byte_by_byte, expected);
            let mut rng = fastrand::Rng::with_seed(7);
            let mut parser = SseParser::new();
            let mut rest = text.as_bytes();
            let mut random = Vec::new();
            while !rest.is_empty() {
                let take = rng.usize(1..=rest.len().min(9));
                random.extend(parser.push(&rest[..take]));
                rest = &rest[take..];
            }
            assert_eq!(random, expected);
        }
    }

    #[test]
    fn unfinished_event_is_pending() {
        let mut parser = SseParser::new();
        assert!(parser.push(b"data: partial").is_empty());
        assert!(parser.has_pending());
    }
}
