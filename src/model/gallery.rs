//! The gallery list: running and failed jobs on top, then saved images
//! newest first, one selection across both. Deleted entries wait in an
//! undo stack while their files sit in the trash folder.

use crate::store::gallery::SavedImage;
use crate::store::trash::TrashTicket;

use super::jobs::{Job, Jobs};

/// A deleted entry and where its files went.
#[derive(Debug, Clone, PartialEq)]
pub struct Trashed {
    pub image: SavedImage,
    pub ticket: TrashTicket,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gallery {
    /// Saved images, newest first.
    pub images: Vec<SavedImage>,
    pub selected: usize,
    /// True once the folder was read.
    pub loaded: bool,
    pub undo: Vec<Trashed>,
    /// The first grid row shown; kept so scrolling moves one row at a time.
    pub top_row: usize,
    /// The full-size preview shows the picture alone, without its details.
    pub info_hidden: bool,
    /// Where `p` (go to parent) was pressed, most recent last, for going back.
    pub back: Vec<std::path::PathBuf>,
}

/// One row of the list.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Job(&'a Job),
    Image(&'a SavedImage),
}

impl Gallery {
    pub fn len(&self, jobs: &Jobs) -> usize {
        jobs.list.len() + self.images.len()
    }

    pub fn row<'a>(&'a self, jobs: &'a Jobs, index: usize) -> Option<Row<'a>> {
        match jobs.list.get(index) {
            Some(job) => Some(Row::Job(job)),
            None => self.images.get(index - jobs.list.len()).map(Row::Image),
        }
    }

    pub fn selected_row<'a>(&'a self, jobs: &'a Jobs) -> Option<Row<'a>> {
        self.row(jobs, self.selected)
    }

    pub fn move_by(&mut self, jobs: &Jobs, step: isize) {
        let last = self.len(jobs).saturating_sub(1) as isize;
        self.selected = (self.selected as isize + step).clamp(0, last.max(0)) as usize;
    }

    pub fn clamp(&mut self, jobs: &Jobs) {
        self.move_by(jobs, 0);
    }

    /// New images go on top of the saved list.
    pub fn add_images(&mut self, images: Vec<SavedImage>) {
        self.images.splice(0..0, images);
    }

    /// Selects the saved image at `path`, if it is listed.
    pub fn select_path(&mut self, jobs: &Jobs, path: &std::path::Path) -> bool {
        match self.images.iter().position(|i| i.path == path) {
            Some(at) => {
                self.selected = jobs.list.len() + at;
                true
            }
            None => false,
        }
    }

    pub fn take_image(&mut self, path: &std::path::Path) -> Option<SavedImage> {
        let at = self.images.iter().position(|i| i.path == path)?;
        Some(self.images.remove(at))
    }

    /// Puts a restored image back in date order.
    pub fn put_back(&mut self, image: SavedImage) {
        let at = self
            .images
            .iter()
            .position(|i| i.sidecar.created < image.sidecar.created)
            .unwrap_or(self.images.len());
        self.images.insert(at, image);
    }
}
