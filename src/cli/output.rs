//! What commands print: results on stdout (text or JSON lines), progress,
//! warnings and errors on stderr. Server text is made inert first.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use serde_json::json;

use crate::api::Progress;
use crate::config::failure::{Failure, print_error};
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

pub struct Output {
    pub json: bool,
    pub quiet: bool,
}

/// One JSON line on stdout, inert (see [`crate::util::inert::json_line`]).
pub fn print_json(value: &serde_json::Value) {
    println!("{}", crate::util::inert::json_line(value));
}

impl Output {
    pub fn warn(&self, text: &str) {
        eprintln!("artty: warning: {}", inert(text, 500));
    }

    pub fn saved(&self, image: &SavedImage) {
        let s = &image.sidecar;
        if self.json {
            let line = json!({
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
        } else {
            // Scripts wanting the exact path of an odd name use --json.
            println!("{}", inert(&image.path.display().to_string(), 4096));
            if let Some(revised) = &s.revised_prompt {
                eprintln!("artty: revised prompt: {}", inert(revised, 2000));
            }
            if s.cost.is_some_and(|c| c.svg_unpriced) {
                eprintln!(
                    "artty: the SVG author's tokens are not priced: the cost shown is the image part only"
                );
            }
        }
    }

    pub fn failure(&self, failure: &Failure) {
        print_error(&failure.message);
        if self.json {
            let said = failure.api.as_ref().and_then(|e| e.server_said());
            let line = json!({ "error": {
                "kind": failure.api.as_ref().map_or("invalid_input", |e| e.kind()),
                "message": failure.message,
                "status": said.map(|s| s.status),
                "param": said.and_then(|s| s.param.clone()),
                "code": said.and_then(|s| s.code.clone()),
                "request_id": failure.api.as_ref().and_then(|e| e.request_id()),
                "exit_code": failure.exit as i32,
            }});
            print_json(&line);
        }
    }

    /// A progress reporter: a one-line status on stderr when it is a terminal.
    pub fn progress(&self) -> ProgressLine {
        ProgressLine {
            live: !self.quiet && std::io::stderr().is_terminal(),
            started: Instant::now(),
        }
    }
}

pub struct ProgressLine {
    live: bool,
    started: Instant,
}

impl ProgressLine {
    pub fn on(&mut self, progress: &Progress) {
        let text = match progress {
            Progress::Sending { attempt: 1 } => "sending".to_string(),
            Progress::Sending { attempt } => format!("sending (attempt {attempt})"),
            Progress::Retrying { wait, reason, .. } => format!(
                "retrying in {:.1} s: {}",
                wait.as_secs_f64(),
                inert(reason, 120)
            ),
            Progress::Receiving => "receiving".into(),
            Progress::Partial { index, .. } => format!("partial image {}", index + 1),
            Progress::Downloading { index, of } => {
                format!("downloading image {} of {of}", index + 1)
            }
        };
        if self.live {
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r\x1b[2Kartty: {text} ({:.0} s)",
                self.started.elapsed().as_secs_f64()
            );
            let _ = err.flush();
        }
    }

    pub fn done(&self) {
        if self.live {
            eprint!("\r\x1b[2K");
        }
    }
}
