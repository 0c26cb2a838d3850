//! The gallery list: running and failed jobs on top, then saved images
//! (those the search lets through, in the chosen order), one selection
//! across both. Deleted entries wait in an undo stack while their files
//! sit in the trash folder.

use std::path::{Path, PathBuf};

use crate::store::sidecar::SavedImage;
use crate::store::trash::TrashTicket;

use super::jobs::{Job, Jobs};
use super::search::{Query, Sort, haystack};

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
    /// True once the whole folder was read.
    pub loaded: bool,
    /// While the rest is read after the first page: the whole count.
    pub reading: Option<usize>,
    /// Images saved by this run, kept when the list is read again.
    pub added: std::collections::HashSet<std::path::PathBuf>,
    pub undo: Vec<Trashed>,
    /// A job whose unsaved images the next dismiss of it throws away.
    pub dismiss_armed: Option<super::jobs::JobId>,
    /// The first grid row shown; kept so scrolling moves one row at a time.
    pub top_row: usize,
    /// The preview follows the selection once it rests.
    pub settle: super::settle::Settle,
    /// The full-size preview shows the picture alone, without its details.
    pub info_hidden: bool,
    /// Where `p` (go to parent) was pressed, most recent last, for going back.
    pub back: Vec<PathBuf>,
    /// The search, applied as it is typed.
    pub query: Query,
    pub sort: Sort,
    /// The search field has the keys; holds the query from before, for Esc.
    pub searching: Option<String>,
    /// The search field's text and cursor while it is typed in.
    pub search_field: crate::model::line_edit::LineEdit,
    /// Images marked for compare and export, in the order marked.
    pub marked: Vec<PathBuf>,
    /// What the gallery's images cost today and this month.
    pub costs: super::costs::CostTotals,
    /// The day totals are for.
    pub today: Option<jiff::civil::Date>,
    /// Dates are filtered in this zone (UTC when not set).
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// Positions in `images` listed, in order; `None` lists all as they are.
    visible: Option<Vec<usize>>,
    /// Each image's search text, kept while `images` is unchanged.
    haystacks: Vec<String>,
}

/// One row of the list.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Job(&'a Job),
    Image(&'a SavedImage),
}

impl Gallery {
    pub fn len(&self, jobs: &Jobs) -> usize {
        jobs.list.len() + self.listed()
    }

    /// Images listed: all, or those the search lets through.
    pub fn listed(&self) -> usize {
        self.visible.as_ref().map_or(self.images.len(), Vec::len)
    }

    /// The `at`th image listed.
    pub fn listed_image(&self, at: usize) -> Option<&SavedImage> {
        match &self.visible {
            Some(visible) => self.images.get(*visible.get(at)?),
            None => self.images.get(at),
        }
    }

    /// Listed images, in order.
    pub fn listed_images(&self) -> impl Iterator<Item = &SavedImage> {
        (0..self.listed()).filter_map(|at| self.listed_image(at))
    }

    pub fn row<'a>(&'a self, jobs: &'a Jobs, index: usize) -> Option<Row<'a>> {
        match jobs.list.get(index) {
            Some(job) => Some(Row::Job(job)),
            None => self.listed_image(index - jobs.list.len()).map(Row::Image),
        }
    }

    /// A search or an order other than newest first is in force.
    pub fn filtered(&self) -> bool {
        !self.query.is_empty() || self.sort != Sort::Newest
    }

    /// Applies the query and the order to `images`; called after every
    /// change to either. The selection stays on its entry when it can.
    pub fn refilter(&mut self, jobs: &Jobs) {
        let selected = self.selected_path(jobs);
        self.visible = self.filtered().then(|| self.filter_and_sort());
        match selected {
            Some(path) if self.select_path(jobs, &path) => {}
            _ => self.selected = self.selected.min(jobs.list.len()),
        }
        self.clamp(jobs);
    }

    fn filter_and_sort(&mut self) -> Vec<usize> {
        if self.haystacks.len() != self.images.len() {
            self.haystacks = self.images.iter().map(|i| haystack(&i.sidecar)).collect();
        }
        let tz = self.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
        let mut visible: Vec<usize> = (0..self.images.len())
            .filter(|&at| {
                let sidecar = &self.images[at].sidecar;
                self.query.is_empty() || {
                    let day = tz.to_datetime(sidecar.created).date();
                    self.query.matches(sidecar, &self.haystacks[at], day)
                }
            })
            .collect();
        match self.sort {
            Sort::Newest => {}
            Sort::Oldest => visible.reverse(),
            // Stable: newest first within a model.
            Sort::Model => visible.sort_by(|a, b| {
                self.images[*a]
                    .sidecar
                    .model
                    .cmp(&self.images[*b].sidecar.model)
            }),
        }
        visible
    }

    /// Called whenever `images` changes: the search text is made again and
    /// the search applied again.
    fn images_changed(&mut self, jobs: Option<&Jobs>) {
        self.haystacks.clear();
        if let Some(today) = self.today {
            let tz = self.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
            self.costs = super::costs::CostTotals::of(self.images.iter(), today, &tz);
        }
        match jobs {
            Some(jobs) => self.refilter(jobs),
            None => self.visible = self.filtered().then(|| self.filter_and_sort()),
        }
    }

    fn selected_path(&self, jobs: &Jobs) -> Option<PathBuf> {
        match self.selected_row(jobs) {
            Some(Row::Image(image)) => Some(image.path.clone()),
            _ => None,
        }
    }

    /// Marks or unmarks an image for compare and export.
    pub fn toggle_mark(&mut self, path: &Path) -> bool {
        match self.marked.iter().position(|p| p == path) {
            Some(at) => {
                self.marked.remove(at);
                false
            }
            None => {
                self.marked.push(path.to_path_buf());
                true
            }
        }
    }

    pub fn is_marked(&self, path: &Path) -> bool {
        self.marked.iter().any(|p| p == path)
    }

    /// The saved image at `path`.
    pub fn image(&self, path: &Path) -> Option<&SavedImage> {
        self.images.iter().find(|i| i.path == path)
    }

    pub fn image_mut(&mut self, path: &Path) -> Option<&mut SavedImage> {
        self.images.iter_mut().find(|i| i.path == path)
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

    /// A new list from disk. Images already listed that it lacks (saved
    /// while it was being read) are kept; the selection follows its entry.
    pub fn replace_images(&mut self, jobs: &Jobs, images: Vec<SavedImage>) {
        let selected = self.selected_path(jobs);
        let listed: std::collections::HashSet<&std::path::Path> =
            images.iter().map(|i| i.path.as_path()).collect();
        let kept: Vec<SavedImage> = self
            .images
            .iter()
            .filter(|i| self.added.contains(&i.path) && !listed.contains(i.path.as_path()))
            .cloned()
            .collect();
        self.images = images;
        for image in kept {
            self.insert_by_date(image);
        }
        self.images_changed(None);
        if let Some(path) = selected {
            self.select_path(jobs, &path);
        }
        self.clamp(jobs);
    }

    /// New images go on top of the saved list.
    pub fn add_images(&mut self, images: Vec<SavedImage>) {
        self.added.extend(images.iter().map(|i| i.path.clone()));
        self.images.splice(0..0, images);
        self.images_changed(None);
    }

    /// Selects the saved image at `path`, if it is listed.
    pub fn select_path(&mut self, jobs: &Jobs, path: &Path) -> bool {
        match (0..self.listed()).find(|&at| self.listed_image(at).is_some_and(|i| i.path == path)) {
            Some(at) => {
                self.selected = jobs.list.len() + at;
                true
            }
            None => false,
        }
    }

    pub fn take_image(&mut self, path: &Path) -> Option<SavedImage> {
        let at = self.images.iter().position(|i| i.path == path)?;
        let image = self.images.remove(at);
        self.images_changed(None);
        Some(image)
    }

    /// Puts a restored image back in date order.
    pub fn put_back(&mut self, image: SavedImage) {
        self.insert_by_date(image);
        self.images_changed(None);
    }

    fn insert_by_date(&mut self, image: SavedImage) {
        let at = self
            .images
            .iter()
            .position(|i| i.sidecar.created < image.sidecar.created)
            .unwrap_or(self.images.len());
        self.images.insert(at, image);
    }
}
