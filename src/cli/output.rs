//! What commands print: results on stdout (text or JSON lines), progress,
//! warnings and errors on stderr. Server text is made inert first.

use serde_json::json;

use crate::config::failure::{Failure, print_error};
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

pub struct Output {
    pub json: bool,
    pub quiet: bool,
    /// `--out -`: the saved image's bytes go to stdout, its path to stderr.
    pub image_to_stdout: bool,
    /// `--show`: how this terminal draws pictures, and its size in cells.
    pub show: Option<(crate::images::graphics::TerminalImages, (u16, u16))>,
    /// The next kitty image id for `--show`.
    pub shown: std::sync::atomic::AtomicU32,
}

/// The version of the JSON that commands print (docs/cli.md), in every
/// object as `"schema"`: raised when a field changes meaning or goes.
pub const SCHEMA: u32 = 1;

/// One JSON line on stdout, inert (see [`crate::util::inert::json_line`]),
/// with the schema version first.
pub fn print_json(value: &serde_json::Value) {
    let versioned = match value {
        serde_json::Value::Object(fields) => {
            let mut with = serde_json::Map::with_capacity(fields.len() + 1);
            with.insert("schema".into(), SCHEMA.into());
            with.extend(fields.clone());
            serde_json::Value::Object(with)
        }
        other => other.clone(),
    };
    super::stdout::line(&crate::util::inert::json_line(&versioned));
}

impl Output {
    pub fn warn(&self, text: &str) {
        eprintln!("artty: warning: {}", inert(text, 500));
    }

    pub fn saved(&self, image: &SavedImage) {
        self.saved_from(image, None);
    }

    /// A saved image; `line` is its batch file line, for `--json`.
    pub fn saved_from(&self, image: &SavedImage, line: Option<usize>) {
        let s = &image.sidecar;
        if self.json {
            let line = json!({
                "status": "saved", "line": line,
                "path": image.path, "sidecar": image.sidecar_path, "model": s.model,
                "size": format!("{}x{}", s.width, s.height), "format": s.format,
                "frames": s.animation.map(|a| a.frames),
                "frame_ms": s.animation.map(|a| a.frame_ms),
                "cost_usd": s.cost.map(|c| c.usd),
                "cost_basis": s.cost.map(|c| c.basis),
                "svg_authoring_unpriced": s.cost.map(|c| c.svg_unpriced),
                "revised_prompt": s.revised_prompt, "request_id": s.request_id,
            });
            print_json(&line);
        } else if self.image_to_stdout {
            // The file just verified and saved, byte for byte.
            match crate::store::local_file::read_own_file(&image.path) {
                Ok(bytes) => super::stdout::bytes(&bytes),
                Err(err) => print_error(&format!("could not read back the saved image: {err}")),
            }
            if !self.quiet {
                eprintln!(
                    "artty: saved {}",
                    inert(&image.path.display().to_string(), 4096)
                );
            }
        } else {
            // Scripts wanting the exact path of an odd name use --json.
            super::stdout::line(&inert(&image.path.display().to_string(), 4096));
            if let Some(revised) = &s.revised_prompt {
                eprintln!("artty: revised prompt: {}", inert(revised, 2000));
            }
            if s.cost.is_some_and(|c| c.svg_unpriced) {
                eprintln!(
                    "artty: the SVG author's tokens are not priced: the cost shown is the image part only"
                );
            }
        }
        self.draw(image);
    }

    /// `--show`: the saved file drawn below its path. A picture that cannot
    /// be drawn is a warning: the image itself is saved.
    fn draw(&self, image: &SavedImage) {
        let Some((terminal, cells)) = &self.show else {
            return;
        };
        let id = 1000
            + self
                .shown
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let drawn = crate::store::local_file::read_own_file(&image.path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| crate::images::inline::draw(&bytes, terminal, *cells, id));
        match drawn {
            Ok(bytes) => super::stdout::bytes(&bytes),
            Err(why) => self.warn(&format!("--show: the image could not be drawn: {why}")),
        }
    }

    pub fn failure(&self, failure: &Failure) {
        print_error(&failure.message);
        if self.json {
            print_json(&error_json(failure, None));
        }
    }

    /// One batch line that failed: on stderr, and with `--json` on stdout
    /// beside the saved ones, with its line number.
    pub fn line_failed(&self, file: &str, line: usize, failure: &Failure) {
        eprintln!(
            "artty: {file}:{line}: failed: {}",
            inert(&failure.message, 500)
        );
        if self.json {
            print_json(&error_json(failure, Some(line)));
        }
    }

    /// One batch line that could not be sent (`why` says so): a warning on
    /// stderr, and with `--json` an object on stdout with its line number.
    pub fn line_invalid(&self, file: &str, line: usize, why: &str) {
        self.warn(&format!("{file}:{line}: {why}"));
        if self.json {
            print_json(&error_json(&Failure::invalid(why), Some(line)));
        }
    }

    /// Whether progress lines are drawn on stderr.
    pub fn progress_live(&self) -> bool {
        super::progress::live(self.quiet)
    }
}

/// `{"status": "failed", "line": …, "error": {…}}`, as docs/cli.md shows.
fn error_json(failure: &Failure, line: Option<usize>) -> serde_json::Value {
    let said = failure.api.as_ref().and_then(|e| e.server_said());
    json!({ "status": "failed", "line": line, "error": {
        "kind": failure.kind(),
        "message": failure.message,
        "status": said.map(|s| s.status),
        "param": said.and_then(|s| s.param.clone()),
        "code": said.and_then(|s| s.code.clone()),
        "request_id": failure.api.as_ref().and_then(|e| e.request_id()),
        "exit_code": failure.exit as i32,
    }})
}
