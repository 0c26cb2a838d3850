//! The gallery's commands and the results of its file work.

use crate::action::GalleryResult;
use crate::api::{Endpoint, ImageRequest};
use crate::effect::Effect;
use crate::keymap::Command;
use crate::layout::pictures::gallery_grid;
use crate::model::gallery::{Row, Trashed};
use crate::model::jobs::{JobState, Stage};
use crate::model::{Cause, Level, Model, Overlay, Panel, PathPurpose};
use crate::store::sidecar::SavedImage;
use crate::store::trash::TrashTicket;
use std::path::PathBuf;

/// Rows a page key moves.
const PAGE: isize = 10;

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    // In the grid, up and down move a row of tiles; in the list, one entry.
    let grid = gallery_grid(model);
    let row = grid.map_or(1, |g| g.columns) as isize;
    let page = grid.map_or(PAGE, |g| g.page() as isize);
    let jobs = &model.jobs;
    let gallery = &mut model.gallery;
    match command {
        Command::Up => gallery.move_by(jobs, -row),
        Command::Down => gallery.move_by(jobs, row),
        Command::Left => gallery.move_by(jobs, -1),
        Command::Right => gallery.move_by(jobs, 1),
        Command::PageUp => gallery.move_by(jobs, -page),
        Command::PageDown => gallery.move_by(jobs, page),
        Command::Top => gallery.selected = 0,
        Command::Bottom => gallery.move_by(jobs, isize::MAX / 2),
        Command::Details if gallery.selected_row(jobs).is_some() => {
            model.overlay = Some(Overlay::Details { scroll: 0 })
        }
        Command::Reuse => return reuse(model),
        Command::EditImage => return super::edit::start(model, Endpoint::Edits),
        Command::Vary => return super::edit::start(model, Endpoint::Variations),
        Command::Parent => super::lineage::to_parent(model),
        Command::Back => super::lineage::back(model),
        Command::Delete => return delete(model),
        Command::UndoDelete => return undo(model),
        Command::Cancel => return cancel(model),
        Command::Open => return open(model),
        Command::CopyPath | Command::CopyPrompt => return copy(model, command),
        Command::Search => super::search::start(model),
        Command::Sort => super::search::cycle_sort(model),
        Command::Favourite => return favourite(model),
        Command::Mark => mark(model),
        Command::ClearMarks => {
            let count = model.gallery.marked.len();
            model.gallery.marked.clear();
            model.set_status(Level::Info, format!("{count} unmarked"));
        }
        Command::Compare => super::compare::open(model),
        Command::Family => super::family::open(model),
        Command::Export => super::path_field::open(model, PathPurpose::ExportFolder),
        Command::ContactSheet => super::path_field::open(model, PathPurpose::ContactSheet),
        Command::Batch => super::path_field::open(model, PathPurpose::BatchFile),
        Command::Batches => super::batches::open(model),
        Command::Reload => {
            model.set_status_while(Cause::Reading, Level::Info, "Reading the gallery folder…");
            return vec![Effect::LoadGallery];
        }
        _ => {}
    }
    Vec::new()
}

/// `f`: the mark is shown at once and written to the sidecar behind.
fn favourite(model: &mut Model) -> Vec<Effect> {
    let Some(Row::Image(image)) = model.gallery.selected_row(&model.jobs) else {
        return Vec::new();
    };
    let path = image.path.clone();
    let Some(image) = model.gallery.image_mut(&path) else {
        return Vec::new();
    };
    image.sidecar.favourite = !image.sidecar.favourite;
    let (now, saved) = (image.sidecar.favourite, image.clone());
    model.gallery.refilter(&model.jobs);
    model.set_status(
        Level::Info,
        if now {
            "★ Favourite"
        } else {
            "No longer a favourite"
        },
    );
    vec![Effect::SaveSidecar(Box::new(saved))]
}

/// Results of reading and changing the gallery, and of drawing it.
pub fn on_result(model: &mut Model, result: GalleryResult) -> Vec<Effect> {
    match result {
        GalleryResult::Loaded(images) => loaded(model, images),
        GalleryResult::FirstPage { images, total } => first_page(model, images, total),
        GalleryResult::FavouriteNotSaved { path, error } => favourite_not_saved(model, path, error),
        GalleryResult::Trashed { image, ticket } => trashed(model, *image, ticket),
        GalleryResult::Restored { image } => restored(model, *image),
        GalleryResult::ThumbnailMade { key, result } => {
            model.thumbs.add(key, result);
            Vec::new()
        }
    }
}

fn favourite_not_saved(model: &mut Model, path: PathBuf, error: String) -> Vec<Effect> {
    if let Some(image) = model.gallery.image_mut(&path) {
        image.sidecar.favourite = !image.sidecar.favourite;
    }
    model.gallery.refilter(&model.jobs);
    model.set_status(
        Level::Error,
        format!("The favourite mark was not saved: {error}"),
    );
    Vec::new()
}

/// Space: marks the image for compare and export, and moves on.
fn mark(model: &mut Model) {
    let Some(Row::Image(image)) = model.gallery.selected_row(&model.jobs) else {
        return;
    };
    let path = image.path.clone();
    model.gallery.toggle_mark(&path);
    let count = model.gallery.marked.len();
    model.set_status(
        Level::Info,
        format!("{count} marked: c compares, E exports"),
    );
    model.gallery.move_by(&model.jobs, 1);
}

pub fn run_details(model: &mut Model, command: Command) -> Vec<Effect> {
    let page = super::overlays::page_height(model);
    if let Some(Overlay::Details { scroll }) = &mut model.overlay {
        match command {
            Command::Up | Command::Down | Command::PageUp | Command::PageDown => {
                *scroll = super::overlays::scrolled(*scroll, command, page);
            }
            Command::Left | Command::Right => {
                *scroll = 0;
                let step = if command == Command::Left { -1 } else { 1 };
                model.gallery.move_by(&model.jobs, step);
            }
            Command::ToggleInfo => model.gallery.info_hidden = !model.gallery.info_hidden,
            Command::Open => return open(model),
            Command::CopyPath | Command::CopyPrompt => return copy(model, command),
            _ => {}
        }
    }
    Vec::new()
}

/// `r`: a failed or interrupted job is sent again; otherwise the entry's
/// prompt and parameters go back to the editor, and for an edit or a
/// variation its sources, mask and fitting too.
fn reuse(model: &mut Model) -> Vec<Effect> {
    let (params, edit, origin) = match model.gallery.selected_row(&model.jobs) {
        Some(Row::Job(job)) if !job.is_running() => return retry(model),
        Some(Row::Image(image)) => (
            image.sidecar.params.clone(),
            image.sidecar.has_parents().then(|| image.sidecar.clone()),
            Some(image.path.clone()),
        ),
        Some(Row::Job(job)) => (job.params.clone(), None, None),
        None => return Vec::new(),
    };
    model.reused_from = origin;
    model
        .prompt
        .set_content(params.prompt.as_deref().unwrap_or(""));
    model.params.adopt(&params);
    if let Some(sidecar) = edit {
        return super::edit::reload(model, &sidecar);
    }
    super::set_focus(model, Panel::Prompt);
    let send = model.keymap.global(Command::Generate);
    model.set_status(
        Level::Info,
        format!("Prompt and parameters reused: edit, then {send}"),
    );
    Vec::new()
}

fn retry(model: &mut Model) -> Vec<Effect> {
    let Some(Row::Job(job)) = model.gallery.selected_row(&model.jobs) else {
        return Vec::new();
    };
    if job.is_running() {
        return Vec::new();
    }
    if let Some(unsaved) = job.kept().cloned() {
        // The answer is here and paid for: only the save is tried again.
        let id = job.id;
        if let Some(job) = model.jobs.get_mut(id) {
            job.state = JobState::Running(Stage::Saving);
        }
        model.set_status(Level::Info, "Saving the kept images again…");
        return vec![Effect::SaveAgain { id, unsaved }];
    }
    let (id, journal, inputs) = (job.id, job.journal.clone(), job.inputs.clone());
    let request = match (&inputs, job.endpoint) {
        (Some(sent), endpoint) => ImageRequest {
            endpoint,
            params: job.params.clone(),
            images: sent.images.clone(),
            mask: sent.mask.clone(),
            markup: sent.markup.clone(),
        },
        (None, Endpoint::Generations) => ImageRequest::generate(job.params.clone()),
        (None, _) => {
            model.set_status(
                Level::Warning,
                "This edit's input images were not kept across the restart: start it again from its source (e)",
            );
            return Vec::new();
        }
    };
    let was_interrupted = matches!(job.state, JobState::Interrupted { .. });
    let mut effects = super::jobs::submit(model, request, inputs);
    if !effects.is_empty() {
        model.jobs.remove(id);
        if was_interrupted {
            effects.push(Effect::ForgetJob { journal });
        }
    }
    effects
}

/// Images go to the trash (undo brings them back); failed and interrupted
/// jobs are dismissed; running jobs are cancelled with `x`, not here.
fn delete(model: &mut Model) -> Vec<Effect> {
    match model.gallery.selected_row(&model.jobs) {
        Some(Row::Image(image)) => vec![Effect::Trash(Box::new(image.clone()))],
        Some(Row::Job(job)) if job.is_running() => {
            let key = model.keymap.gallery_key(Command::Cancel);
            model.set_status(
                Level::Info,
                format!("This job is running: {key} cancels it"),
            );
            Vec::new()
        }
        Some(Row::Job(job))
            if job.kept().is_some() && model.gallery.dismiss_armed != Some(job.id) =>
        {
            let id = job.id;
            let (delete, retry) = (
                model.keymap.gallery_key(Command::Delete),
                model.keymap.gallery_key(Command::Reuse),
            );
            model.gallery.dismiss_armed = Some(id);
            model.set_status(
                Level::Warning,
                format!("These images are not saved: {delete} again throws them away, {retry} saves again"),
            );
            Vec::new()
        }
        Some(Row::Job(job)) => {
            let (id, journal) = (job.id, job.journal.clone());
            model.gallery.dismiss_armed = None;
            model.jobs.remove(id);
            model.gallery.clamp(&model.jobs);
            vec![Effect::ForgetJob { journal }]
        }
        None => Vec::new(),
    }
}

fn undo(model: &mut Model) -> Vec<Effect> {
    match model.gallery.undo.pop() {
        Some(trashed) => vec![Effect::Restore(Box::new(trashed))],
        None => {
            model.set_status(Level::Info, "Nothing to undo");
            Vec::new()
        }
    }
}

fn cancel(model: &mut Model) -> Vec<Effect> {
    match model.gallery.selected_row(&model.jobs) {
        Some(Row::Job(job)) if job.state == JobState::Running(Stage::Saving) => {
            // The images are paid for and nearly on disk.
            model.set_status(Level::Info, "Saving; this cannot be cancelled");
            Vec::new()
        }
        Some(Row::Job(job)) if job.is_running() => {
            let effect = Effect::CancelJob {
                id: job.id,
                journal: job.journal.clone(),
            };
            model.set_status(Level::Info, "Cancelling…");
            vec![effect]
        }
        _ => Vec::new(),
    }
}

fn open(model: &mut Model) -> Vec<Effect> {
    let Some(Row::Image(image)) = model.gallery.selected_row(&model.jobs) else {
        return Vec::new();
    };
    if model.session.has_display {
        return vec![Effect::OpenViewer(image.path.clone())];
    }
    let key = model.keymap.gallery_key(Command::CopyPath);
    model.set_status(
        Level::Info,
        format!("No display here (SSH?): {key} copies the path instead"),
    );
    Vec::new()
}

fn copy(model: &mut Model, command: Command) -> Vec<Effect> {
    let (path, prompt) = match model.gallery.selected_row(&model.jobs) {
        Some(Row::Image(image)) => (
            Some(image.path.display().to_string()),
            image.sidecar.prompt.clone(),
        ),
        Some(Row::Job(job)) => (None, job.params.prompt.clone()),
        None => return Vec::new(),
    };
    let (what, text) = match command {
        Command::CopyPath => ("path", path),
        _ => ("prompt", prompt),
    };
    match text {
        Some(text) => {
            model.set_status(
                Level::Info,
                format!("Copied the {what} to the clipboard (OSC 52)"),
            );
            vec![Effect::Copy(text)]
        }
        None => {
            model.set_status(Level::Info, format!("This entry has no {what} yet"));
            Vec::new()
        }
    }
}

/// The whole gallery read. Images saved while it was being read are kept,
/// and the selection stays on the same entry.
fn loaded(model: &mut Model, images: Vec<SavedImage>) -> Vec<Effect> {
    model.gallery.replace_images(&model.jobs, images);
    model.gallery.loaded = true;
    model.gallery.reading = None;
    model.clear_status_if(|cause| *cause == Cause::Reading);
    Vec::new()
}

fn first_page(model: &mut Model, images: Vec<SavedImage>, total: usize) -> Vec<Effect> {
    if !model.gallery.loaded {
        model.gallery.replace_images(&model.jobs, images);
        model.gallery.reading = Some(total);
    }
    Vec::new()
}

fn trashed(model: &mut Model, image: SavedImage, ticket: TrashTicket) -> Vec<Effect> {
    if let Some(image) = model.gallery.take_image(&image.path) {
        model.gallery.undo.push(Trashed { image, ticket });
        model.gallery.clamp(&model.jobs);
        let key = model.keymap.gallery_key(Command::UndoDelete);
        model.set_status(Level::Info, format!("Moved to the trash: {key} undoes"));
    }
    Vec::new()
}

fn restored(model: &mut Model, image: SavedImage) -> Vec<Effect> {
    model.gallery.put_back(image);
    model.set_status(Level::Info, "Restored from the trash");
    Vec::new()
}
