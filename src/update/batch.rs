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
    for line in todo {
        let group = line.group(&file.id);
        let more = super::jobs::submit_in(
            model,
            ImageRequest::generate(line.params),
            None,
            Some(group),
        );
        // Nothing comes back for a request the model table refused.
        if more.is_empty() {
            refused += 1;
        }
        effects.extend(more);
    }
    let sent = file.lines.len() - skipped - refused;
    let mut text = format!("Batch: {sent} sent, {skipped} already done");
    if refused + file.bad.len() > 0 {
        text.push_str(&format!(
            ", {} not valid (artty batch {} lists why)",
            refused + file.bad.len(),
            path.display()
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
