//! A batch file's checked lines as the Batch API's input files: one
//! request per line, named by a `custom_id` that says which line it is,
//! and split where one file would pass the API's limits (requests per
//! batch, bytes per file, one endpoint per batch).

use crate::api::batch_wire::{InputLine, MAX_INPUT_FILE_BYTES, MAX_REQUESTS_PER_BATCH};
use crate::api::catalog::Endpoint;

/// The request id of a batch line: its number and its key, so an output
/// line finds its line again (and a changed line is a new request).
pub fn custom_id(number: usize, key: &str) -> String {
    format!("line-{number}-{key}")
}

/// How much one batch may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub requests: usize,
    pub bytes: u64,
}

impl Limits {
    /// The API's: 50,000 requests and 200 MB per input file. The byte
    /// limit keeps a margin for the multipart form around the file.
    pub const API: Limits = Limits {
        requests: MAX_REQUESTS_PER_BATCH,
        bytes: MAX_INPUT_FILE_BYTES - 1024 * 1024,
    };
}

/// The lines (indices into the list given to [`split`]) one batch takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub endpoint: Endpoint,
    pub lines: Vec<usize>,
}

/// Groups lines, each given by its endpoint and the bytes of its input
/// line (with the newline), into batches within `limits`, in the order
/// given. A line alone larger than the byte limit still gets a batch of
/// its own: the API, not artty, is the judge of it.
pub fn split(lines: &[(Endpoint, u64)], limits: Limits) -> Vec<Part> {
    let mut parts: Vec<(Part, u64)> = Vec::new();
    // The part now being filled, per endpoint.
    let mut open: Vec<(Endpoint, usize)> = Vec::new();
    for (index, &(endpoint, bytes)) in lines.iter().enumerate() {
        let current = open.iter().find(|(e, _)| *e == endpoint).map(|(_, at)| *at);
        let fits = current.is_some_and(|at| {
            let (part, used) = &parts[at];
            part.lines.len() < limits.requests.max(1) && used + bytes <= limits.bytes
        });
        let at = match (current, fits) {
            (Some(at), true) => at,
            _ => {
                parts.push((
                    Part {
                        endpoint,
                        lines: Vec::new(),
                    },
                    0,
                ));
                let at = parts.len() - 1;
                open.retain(|(e, _)| *e != endpoint);
                open.push((endpoint, at));
                at
            }
        };
        parts[at].0.lines.push(index);
        parts[at].1 += bytes;
    }
    parts.into_iter().map(|(part, _)| part).collect()
}

/// One line of an input file, newline included.
pub fn input_line(custom_id: &str, url: &'static str, body: &serde_json::Value) -> String {
    let line = InputLine {
        custom_id,
        method: "POST",
        url,
        body,
    };
    // A map of strings and numbers always serializes.
    let mut text = serde_json::to_string(&line).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        requests: 3,
        bytes: 100,
    };

    #[test]
    fn lines_split_by_count_by_bytes_and_by_endpoint() {
        let g = Endpoint::Generations;
        let e = Endpoint::Edits;
        let lines = [
            (g, 10),
            (g, 10),
            (e, 10),
            (g, 10),
            (g, 10),
            (g, 90),
            (g, 200),
        ];
        let parts = split(&lines, SMALL);
        let shown: Vec<(Endpoint, Vec<usize>)> =
            parts.into_iter().map(|p| (p.endpoint, p.lines)).collect();
        assert_eq!(
            shown,
            [
                (g, vec![0, 1, 3]),
                (e, vec![2]),
                (g, vec![4, 5]),
                (g, vec![6]),
            ]
        );
        assert!(split(&[], SMALL).is_empty());
    }

    #[test]
    fn the_api_limits_fit_fifty_thousand_small_lines_in_one_batch() {
        let lines = vec![(Endpoint::Generations, 200); 50_001];
        let parts = split(&lines, Limits::API);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].lines.len(), 50_000);
    }

    #[test]
    fn an_input_line_is_one_json_object_and_a_newline() {
        let body = serde_json::json!({ "model": "gpt-image-2", "prompt": "a\nb" });
        let line = input_line(&custom_id(7, "ab12"), "/v1/images/generations", &body);
        assert!(line.ends_with('\n'));
        assert_eq!(
            line.matches('\n').count(),
            1,
            "the prompt's newline is escaped"
        );
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["custom_id"], "line-7-ab12");
        assert_eq!(back["method"], "POST");
        assert_eq!(back["body"]["prompt"], "a\nb");
    }
}
