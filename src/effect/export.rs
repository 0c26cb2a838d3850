//! Exports off the UI thread: copying files out, drawing a contact sheet,
//! reading a batch file.

use std::path::PathBuf;

use tokio::sync::mpsc::UnboundedSender;

use crate::action::Action;
use crate::images::contact_sheet::{SheetItem, draw};
use crate::store::sidecar::SavedImage;

/// A sheet of more than this many images is cut here: past it, the
/// thumbnails are too small to be of use.
pub const SHEET_MAX: usize = 100;

pub fn export(images: Vec<SavedImage>, folder: PathBuf, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let action = match crate::store::export::export(&images, &folder) {
            Ok(done) => Action::Noted(format!(
                "Exported {} image{} with sidecars to {}{}",
                done.copied,
                if done.copied == 1 { "" } else { "s" },
                folder.display(),
                if done.present > 0 {
                    format!(" ({} were already there)", done.present)
                } else {
                    String::new()
                }
            )),
            Err(e) => Action::Failed(format!("Export failed: {e}")),
        };
        let _ = tx.send(action);
    });
}

pub fn contact_sheet(images: Vec<SavedImage>, file: PathBuf, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(move || {
        let _ = tx.send(match make_sheet(&images, &file) {
            Ok(note) => Action::Noted(note),
            Err(e) => Action::Failed(format!("No contact sheet: {e}")),
        });
    });
}

fn make_sheet(images: &[SavedImage], file: &std::path::Path) -> Result<String, String> {
    let items: Vec<SheetItem> = images
        .iter()
        .take(SHEET_MAX)
        .filter_map(|image| {
            // Through the thumbnail decoder, which draws SVG results too.
            let bytes = crate::store::local_file::read_own_file(&image.path).ok()?;
            let sheet_box = crate::images::thumbnail::PixelBox {
                width: 1024,
                height: 1024,
            };
            let picture = crate::images::thumbnail::Thumbnail::from_image_bytes(&bytes, sheet_box)
                .ok()?
                .into_rgba_image()?;
            let s = &image.sidecar;
            Some(SheetItem {
                picture,
                heading: format!("{} {}", s.created.strftime("%Y-%m-%d %H:%M"), s.model),
                text: s.prompt.clone().unwrap_or_else(|| "(variation)".into()),
            })
        })
        .collect();
    if items.is_empty() {
        return Err("none of the images could be read".into());
    }
    let png =
        crate::images::synthetic::encode(&draw(&items), crate::images::probe::ImageFormat::Png);
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    crate::store::atomic::ensure_private_dir(dir).map_err(|e| e.to_string())?;
    crate::store::atomic::replace(file, &png).map_err(|e| e.to_string())?;
    let cut = if images.len() > SHEET_MAX {
        format!(" (the first {SHEET_MAX} of {})", images.len())
    } else {
        String::new()
    };
    Ok(format!(
        "Contact sheet of {} images{cut}: {}",
        items.len(),
        file.display()
    ))
}
