//! `artty gallery`: the saved images, newest first, as the app lists them
//! (leftovers of a killed writer are cleaned on the way). `--check` also
//! decodes every image, to find any a disk fault or hand edit broke.

use serde_json::json;

use super::output::Output;
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::gallery::Gallery;
use crate::store::index::GalleryIndex;
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

pub async fn run(ctx: &Context, out: &Output, check: bool) -> Result<(), Failure> {
    let dir = ctx.gallery_dir.clone();
    let cache = ctx.dirs.cache.clone();
    // Reading the folder and decoding every image is blocking work.
    let (loaded, problems) = tokio::task::spawn_blocking(move || {
        let index = GalleryIndex::new(&cache, &dir);
        let loaded = Gallery::open(dir)?.load_indexed(&index, usize::MAX, |_, _| {})?;
        let problems: Vec<Option<String>> = loaded
            .images
            .iter()
            .map(|image| if check { problem(image) } else { None })
            .collect();
        Ok::<_, crate::store::StoreError>((loaded, problems))
    })
    .await
    .map_err(|e| Failure::local(e.to_string()))?
    .map_err(|e| Failure::local(e.to_string()))?;
    if let Some(note) = &loaded.note {
        out.warn(note);
    }
    let mut broken = Vec::new();
    for (image, problem) in loaded.images.iter().zip(problems) {
        // A reader that left ends a listing; a check still reports.
        if super::stdout::closed() && !check {
            break;
        }
        print(out, image, problem.as_deref());
        if let Some(why) = problem {
            broken.push(format!("{}: {why}", image.path.display()));
        }
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(Failure::local(format!(
            "{} of {} images could not be read:\n{}",
            broken.len(),
            loaded.images.len(),
            broken.join("\n")
        )))
    }
}

/// Why the image cannot be shown, if it cannot: the file is read and decoded.
fn problem(image: &SavedImage) -> Option<String> {
    let bytes = match crate::store::local_file::read_own_file(&image.path) {
        Ok(bytes) => bytes,
        Err(e) => return Some(e.to_string()),
    };
    // The same proof as before a save: every frame decoded, an SVG drawn.
    match crate::images::verify::verify(&bytes) {
        Ok(info) if (info.width, info.height) == (image.sidecar.width, image.sidecar.height) => {
            None
        }
        Ok(info) => Some(format!(
            "{}x{} on disk, {}x{} in its sidecar",
            info.width, info.height, image.sidecar.width, image.sidecar.height
        )),
        Err(e) => Some(e.to_string()),
    }
}

fn print(out: &Output, image: &SavedImage, problem: Option<&str>) {
    let s = &image.sidecar;
    if out.json {
        let line = json!({
            "path": image.path, "sidecar": image.sidecar_path, "created": s.created.to_string(),
            "model": s.model, "prompt": s.prompt, "size": format!("{}x{}", s.width, s.height),
            "favourite": s.favourite, "problem": problem,
        });
        super::output::print_json(&line);
    } else {
        let created = s.created.strftime("%Y-%m-%d %H:%M");
        let mark = if problem.is_some() { "✗" } else { " " };
        super::stdout::line(&format!(
            "{mark} {created}  {:<16} {:>9}  {}  {}",
            inert(&s.model, 16),
            format!("{}x{}", s.width, s.height),
            inert(&image.path.display().to_string(), 500),
            inert(s.prompt.as_deref().unwrap_or(""), 60)
        ));
    }
}
