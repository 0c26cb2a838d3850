//! `ARTTY_DEBUG_FRAMES=<file>`: one JSON line per frame drawn, saying where
//! the pictures are (in cells), what covers them, how images are drawn and
//! how many bytes have gone to the terminal. The real-terminal tests read
//! it to know which pixels of a screenshot must hold a picture; the byte
//! counts are the figures in docs/images.md.

use std::io::Write;

use crate::model::Model;
use crate::model::thumbs::Shown;

pub struct FrameLog {
    file: std::fs::File,
    frames: u64,
}

impl FrameLog {
    pub fn from_env() -> Option<FrameLog> {
        let path = std::env::var_os("ARTTY_DEBUG_FRAMES")?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()?;
        Some(FrameLog { file, frames: 0 })
    }

    pub fn frame(&mut self, model: &Model, bytes: u64) {
        self.frames += 1;
        let rect = |r: ratatui::layout::Rect| [r.x, r.y, r.width, r.height];
        let pictures: Vec<serde_json::Value> = crate::layout::pictures::pictures(model)
            .iter()
            .map(|p| {
                let id = match model.thumbs.shown(&p.key) {
                    Shown::Ready(ready) => Some(ready.id),
                    _ => None,
                };
                serde_json::json!({ "area": rect(p.area), "ready": id.is_some(), "id": id })
            })
            .collect();
        let screen = ratatui::layout::Rect::new(0, 0, model.size.0, model.size.1);
        let overlay = model
            .overlay
            .as_ref()
            .map(|o| rect(crate::layout::areas::overlay_area(o, screen)));
        let images = model.session.images;
        let line = serde_json::json!({
            "frame": self.frames,
            "pid": std::process::id(),
            "size": [model.size.0, model.size.1],
            "graphics": images.graphics.describe(),
            "palette": format!("{:?}", images.palette),
            "cell": [images.cell.0, images.cell.1],
            "pictures": pictures,
            "overlay": overlay,
            "bytes": bytes,
            "running": model.jobs.running(),
            "prompt": model.prompt.content(),
        });
        let _ = writeln!(self.file, "{line}");
    }
}
