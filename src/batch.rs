//! Batch files: one prompt per line, or JSON Lines with a prompt and any
//! request parameters per line (`{"prompt": "…", "model": "dall-e-3",
//! "size": "1792x1024"}`). Blank lines and lines starting with `#` are
//! skipped. Both `artty batch FILE` and the app's `B` run them.
//!
//! Resuming: each line's images carry the batch's id (from the file's
//! path) and the line's key (from its text) in their sidecars. A line
//! with an image in the gallery is done, so running the file again runs
//! only what is left, and a line that was changed runs again.

use std::collections::HashSet;
use std::path::Path;

use crate::api::ImageParams;
use crate::store::sidecar::{Group, GroupKind, SavedImage};
use crate::util::stable_hash;

/// One line to run.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchLine {
    /// 1-based, as an editor shows it.
    pub number: usize,
    /// Names the line's text: the same text is the same line.
    pub key: String,
    pub params: ImageParams,
}

impl BatchLine {
    /// The group its images are saved in.
    pub fn group(&self, batch_id: &str) -> Group {
        Group {
            kind: GroupKind::Batch,
            id: batch_id.to_string(),
            item: Some(format!("line {} #{}", self.number, self.key)),
        }
    }
}

/// A line that cannot be run, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLine {
    pub number: usize,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchFile {
    pub id: String,
    pub lines: Vec<BatchLine>,
    pub bad: Vec<BadLine>,
}

/// The id of a batch file from its canonical path (the caller asks the
/// disk for it): the same file is the same batch.
pub fn batch_id(canonical: &Path) -> String {
    format!(
        "batch-{:016x}",
        stable_hash::of(&[&canonical.to_string_lossy()])
    )
}

/// The id of a batch read from stdin: its text is what it is, so the
/// same lines piped again are the same batch and resume.
pub fn stdin_batch_id(text: &str) -> String {
    format!("batch-{:016x}", stable_hash::of(&["stdin", text]))
}

/// Reads a batch file's text. `defaults` are the parameters of a line
/// that names none (its prompt is replaced).
pub fn parse(id: String, text: &str, defaults: &ImageParams) -> BatchFile {
    let mut file = BatchFile {
        id,
        ..BatchFile::default()
    };
    for (at, raw) in text.lines().enumerate() {
        let number = at + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line_params(line, defaults) {
            Ok(params) => file.lines.push(BatchLine {
                number,
                key: format!("{:016x}", stable_hash::of(&[line])),
                params,
            }),
            Err(why) => file.bad.push(BadLine { number, why }),
        }
    }
    file
}

fn line_params(line: &str, defaults: &ImageParams) -> Result<ImageParams, String> {
    if !line.starts_with('{') {
        return Ok(ImageParams {
            prompt: Some(line.to_string()),
            ..defaults.clone()
        });
    }
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let serde_json::Value::Object(fields) = value else {
        return Err("a JSON line must be an object".into());
    };
    let mut base = match serde_json::to_value(defaults) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    // A line's model starts from nothing but the model: the defaults'
    // size or quality may not suit it.
    if fields.contains_key("model") {
        base.retain(|k, _| k == "model");
    }
    base.extend(fields);
    let params: ImageParams = serde_json::from_value(serde_json::Value::Object(base))
        .map_err(|e| format!("a parameter has the wrong type: {e}"))?;
    match params.prompt.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => Ok(params),
        _ => Err("no \"prompt\"".into()),
    }
}

/// The keys of the lines of `batch_id` that already have an image.
pub fn done_keys<'a>(
    batch_id: &str,
    images: impl Iterator<Item = &'a SavedImage>,
) -> HashSet<String> {
    images
        .filter_map(|i| i.sidecar.group.as_ref())
        .filter(|g| g.kind == GroupKind::Batch && g.id == batch_id)
        .filter_map(|g| {
            g.item
                .as_deref()?
                .rsplit_once('#')
                .map(|(_, key)| key.to_string())
        })
        .collect()
}

/// The lines still to run, each once (a line repeated word for word runs once).
pub fn remaining(file: &BatchFile, done: &HashSet<String>) -> Vec<BatchLine> {
    let mut seen = HashSet::new();
    file.lines
        .iter()
        .filter(|l| !done.contains(&l.key) && seen.insert(l.key.clone()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> ImageParams {
        ImageParams {
            size: Some("1024x1024".into()),
            ..ImageParams::new("gpt-image-1")
        }
    }

    #[test]
    fn text_and_json_lines_are_read_and_bad_ones_named() {
        let text = "# a comment\n\na red fox\n{\"prompt\": \"a hat\", \"model\": \"dall-e-3\", \"quality\": \"hd\"}\n{\"model\": \"x\"}\n{oops\n{\"prompt\": \"owl\", \"n\": \"two\"}\n";
        let file = parse("b".into(), text, &defaults());
        assert_eq!(file.lines.len(), 2);
        assert_eq!(file.lines[0].number, 3);
        assert_eq!(file.lines[0].params.prompt.as_deref(), Some("a red fox"));
        assert_eq!(file.lines[0].params.size.as_deref(), Some("1024x1024"));
        let hat = &file.lines[1].params;
        assert_eq!(
            (hat.model.as_str(), hat.quality.as_deref()),
            ("dall-e-3", Some("hd"))
        );
        // Another model does not inherit the default size.
        assert_eq!(hat.size, None);
        let bad: Vec<usize> = file.bad.iter().map(|b| b.number).collect();
        assert_eq!(bad, [5, 6, 7]);
    }

    #[test]
    fn done_lines_are_skipped_and_changed_lines_run_again() {
        let file = parse("b".into(), "one\ntwo\none\n", &defaults());
        let mut done = HashSet::new();
        assert_eq!(
            remaining(&file, &done).len(),
            2,
            "a repeated line runs once"
        );
        done.insert(file.lines[0].key.clone());
        let left = remaining(&file, &done);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].params.prompt.as_deref(), Some("two"));
        let edited = parse("b".into(), "one!\ntwo\n", &defaults());
        assert_eq!(remaining(&edited, &done).len(), 2);
    }
}
