//! `B` in the gallery: a batch file's lines become jobs like any other,
//! grouped, skipping lines that already have an image.

use std::path::PathBuf;

use crate::api::ImageRequest;
use crate::batch::{done_keys, parse, remaining};
use crate::effect::Effect;
use crate::model::{Level, Model};

pub fn read(
    model: &mut Model,
    path: PathBuf,
    id: String,
    result: Result<String, String>,
) -> Vec<Effect> {
    let text = match result {
        Ok(text) => text,
        Err(why) => {
            model.set_status(
                Level::Error,
                format!("Could not read {}: {why}", path.display()),
            );
            return Vec::new();
        }
    };
    let mut defaults = model.params.values.clone();
    defaults.prompt = None;
    let file = parse(id, &text, &defaults);
    let done = done_keys(&file.id, model.gallery.images.iter());
    let todo = remaining(&file, &done);
    let skipped = file.lines.len() - todo.len();
    let mut effects = Vec::new();
    let mut refused = 0;
    let mut reasons: Vec<String> = file
        .bad
        .iter()
        .map(|bad| format!("line {}: {}", bad.number, bad.why))
        .collect();
    for line in todo {
        let number = line.number;
        if line.inputs.is_edit() {
            // Its pictures are read by `artty batch`; the app's jobs are
            // made from parameters alone.
            refused += 1;
            reasons.push(format!(
                "line {number}: an edit line runs with `artty batch FILE`"
            ));
            continue;
        }
        let group = line.group(&file.id);
        match super::jobs::try_submit(
            model,
            ImageRequest::generate(line.params),
            None,
            Some(group),
        ) {
            Ok(more) => effects.extend(more),
            Err(why) => {
                refused += 1;
                reasons.push(format!("line {number}: {why}"));
            }
        }
    }
    let sent = file.lines.len() - skipped - refused;
    let mut text = format!("Batch: {sent} sent, {skipped} already done");
    if refused + file.bad.len() > 0 {
        // The first reasons, whole; `artty batch FILE` lists every one.
        let shown: Vec<&str> = reasons.iter().take(3).map(String::as_str).collect();
        let more = reasons.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!("; {more} more: artty batch {} lists them", path.display())
        } else {
            String::new()
        };
        text.push_str(&format!(
            ", {} not valid: {}{more}",
            refused + file.bad.len(),
            shown.join("; ")
        ));
    }
    let level = if refused + file.bad.len() > 0 {
        Level::Warning
    } else {
        Level::Info
    };
    model.set_status(level, text);
    effects
}
