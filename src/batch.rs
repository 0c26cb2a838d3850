//! Batch files: one prompt per line, or JSON Lines with a prompt and any
//! request parameters per line (`{"prompt": "…", "model": "dall-e-3",
//! "size": "1792x1024"}`). Blank lines and lines starting with `#` are
//! skipped. Both `artty batch FILE` and the app's `B` run them.
//!
//! A JSON line with `"image"` (a path or a list of paths; `"images"` is
//! the same) is an edit of those pictures, with an optional `"mask"` and
//! `"markup"`; relative paths are read from the batch file's folder.
//!
//! Resuming: each line's images carry the batch's id (from the file's
//! path) and the line's key (from its text) in their sidecars. A line
//! with an image in the gallery is done, so running the file again runs
//! only what is left, and a line that was changed runs again.

pub mod api_plan;

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
    /// The pictures an edit line names; empty for a generation.
    pub inputs: LineInputs,
}

/// The input files a line names, as written in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineInputs {
    pub images: Vec<String>,
    pub mask: Option<String>,
    pub markup: Option<String>,
}

impl LineInputs {
    pub fn is_edit(&self) -> bool {
        !self.images.is_empty()
    }
}

impl BatchLine {
    /// The group its images are saved in.
    pub fn group(&self, batch_id: &str) -> Group {
        line_group(batch_id, self.number, &self.key)
    }
}

/// The group of line `number` (with `key`) of batch `batch_id`: the same
/// whether the line ran here or on the Batch API, so either finds it done.
pub fn line_group(batch_id: &str, number: usize, key: &str) -> Group {
    Group {
        kind: GroupKind::Batch,
        id: batch_id.to_string(),
        item: Some(format!("line {number} #{key}")),
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
            Ok((params, inputs)) => file.lines.push(BatchLine {
                number,
                key: format!("{:016x}", stable_hash::of(&[line])),
                params,
                inputs,
            }),
            Err(why) => file.bad.push(BadLine { number, why }),
        }
    }
    file
}

fn line_params(line: &str, defaults: &ImageParams) -> Result<(ImageParams, LineInputs), String> {
    if !line.starts_with('{') {
        let params = ImageParams {
            prompt: Some(line.to_string()),
            ..defaults.clone()
        };
        return Ok((params, LineInputs::default()));
    }
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let serde_json::Value::Object(mut fields) = value else {
        return Err("a JSON line must be an object".into());
    };
    let inputs = take_inputs(&mut fields)?;
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
        Some(p) if !p.is_empty() => Ok((params, inputs)),
        _ => Err("no \"prompt\"".into()),
    }
}

/// Takes a line's `image`/`images`, `mask` and `markup` out of its fields.
fn take_inputs(
    fields: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<LineInputs, String> {
    use serde_json::Value;
    let path = |name: &str, value: Value| match value {
        Value::String(text) if !text.trim().is_empty() => Ok(text),
        _ => Err(format!("\"{name}\" must be a file path")),
    };
    let mut images = Vec::new();
    for name in ["image", "images"] {
        match fields.remove(name) {
            None => {}
            Some(Value::Array(list)) => {
                for item in list {
                    images.push(path(name, item)?);
                }
            }
            Some(one) => images.push(path(name, one)?),
        }
    }
    let mut one = |name: &str| fields.remove(name).map(|v| path(name, v)).transpose();
    let (mask, markup) = (one("mask")?, one("markup")?);
    if images.is_empty() && (mask.is_some() || markup.is_some()) {
        return Err("a \"mask\" or \"markup\" needs an \"image\" to edit".into());
    }
    Ok(LineInputs {
        images,
        mask,
        markup,
    })
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
    fn edit_lines_name_their_pictures() {
        let text = concat!(
            "{\"prompt\": \"hat\", \"image\": \"fox.png\", \"mask\": \"m.png\"}\n",
            "{\"prompt\": \"two\", \"images\": [\"a.png\", \"b.png\"], \"markup\": \"k.png\"}\n",
            "{\"prompt\": \"no\", \"mask\": \"m.png\"}\n",
            "{\"prompt\": \"no\", \"image\": 3}\n",
        );
        let file = parse("b".into(), text, &defaults());
        assert_eq!(file.lines.len(), 2);
        let first = &file.lines[0].inputs;
        assert_eq!(first.images, ["fox.png"]);
        assert_eq!(first.mask.as_deref(), Some("m.png"));
        assert!(first.is_edit());
        let second = &file.lines[1].inputs;
        assert_eq!(second.images, ["a.png", "b.png"]);
        assert_eq!(second.markup.as_deref(), Some("k.png"));
        assert_eq!(
            file.bad.iter().map(|b| b.number).collect::<Vec<_>>(),
            [3, 4]
        );
        assert!(
            !parse("b".into(), "plain\n", &defaults()).lines[0]
                .inputs
                .is_edit()
        );
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
