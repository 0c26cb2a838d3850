//! Thumbnails the views have asked for: the ready ones (bounded in bytes,
//! least recently seen dropped first), the ones that could not be made,
//! and the list last handed to the worker, so asking again only happens
//! when what is on screen changes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::images::cache::ByteLru;
use crate::images::prepared::Prepared;
use crate::images::thumbnail::PixelBox;

use super::jobs::JobId;

/// Thumbnails kept in memory before the screen's size is known.
pub const MEMORY_BUDGET: usize = 32 * 1024 * 1024;
/// Screens' worth of pixels kept: the page on screen, the one before and
/// the one after, so paging back and forth decodes nothing again.
const SCREENS_KEPT: usize = 3;
/// Bytes a pixel costs at most: RGBA for half blocks and iTerm2; kitty's
/// PNG and sixel's bytes are smaller, and they keep no pixels.
const BYTES_PER_PIXEL: usize = 4;
/// However small the screen, a few pages; however large, a bound.
const SMALLEST_BUDGET: usize = 8 * 1024 * 1024;
const LARGEST_BUDGET: usize = 128 * 1024 * 1024;

/// The memory thumbnails may hold for a screen of `cells` at `cell`
/// pixels a cell: what is seen stays, the rest of 10,000 images does not.
pub fn budget_for(cells: (u16, u16), cell: (u16, u16)) -> usize {
    let pixels =
        usize::from(cells.0) * usize::from(cell.0) * usize::from(cells.1) * usize::from(cell.1);
    (pixels * BYTES_PER_PIXEL * SCREENS_KEPT).clamp(SMALLEST_BUDGET, LARGEST_BUDGET)
}

/// What a thumbnail is made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    Saved(PathBuf),
    /// An edit's first source as the mask painter draws it (half blocks,
    /// tinted where painted, in every terminal).
    Painting(PathBuf),
    /// A streaming job's latest partial image.
    Partial {
        job: JobId,
        index: u32,
    },
}

/// A thumbnail of a source at a box size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThumbKey {
    pub source: Source,
    pub size: PixelBox,
}

/// A thumbnail ready to draw, with the id the terminal knows it by.
#[derive(Debug, Clone)]
pub struct Ready {
    pub id: u32,
    pub image: Arc<Prepared>,
}

impl crate::images::cache::Weigh for Ready {
    fn weight(&self) -> usize {
        self.image.weight()
    }
}

/// What a picture's place shows.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    Ready(&'a Ready),
    Loading,
    Failed(&'a str),
}

#[derive(Debug, Clone)]
pub struct Thumbs {
    ready: ByteLru<ThumbKey, Ready>,
    failed: HashMap<ThumbKey, String>,
    /// The missing thumbnails last asked for, in screen order.
    pub asked: Vec<ThumbKey>,
    next_id: u32,
}

impl Default for Thumbs {
    fn default() -> Thumbs {
        Thumbs::new(MEMORY_BUDGET)
    }
}

impl Thumbs {
    pub fn new(budget: usize) -> Thumbs {
        Thumbs {
            ready: ByteLru::new(budget),
            failed: HashMap::new(),
            asked: Vec::new(),
            next_id: 0,
        }
    }

    pub fn shown(&self, key: &ThumbKey) -> Shown<'_> {
        if let Some(ready) = self.ready.peek(key) {
            Shown::Ready(ready)
        } else if let Some(why) = self.failed.get(key) {
            Shown::Failed(why)
        } else {
            Shown::Loading
        }
    }

    /// Sizes the memory budget for the screen (see [`budget_for`]).
    pub fn fit_budget(&mut self, budget: usize) {
        if self.ready.budget() != budget {
            self.ready.set_budget(budget);
        }
    }

    /// Marks thumbnails as just seen, so they are the last to be dropped.
    pub fn touch(&mut self, key: &ThumbKey) {
        self.ready.get(key);
    }

    pub fn is_missing(&self, key: &ThumbKey) -> bool {
        !self.ready.contains(key) && !self.failed.contains_key(key)
    }

    /// Stores a finished thumbnail under a fresh id (24 bits, never 0: the
    /// id doubles as a colour for kitty's placeholders).
    pub fn add(&mut self, key: ThumbKey, result: Result<Arc<Prepared>, String>) {
        self.asked.retain(|k| k != &key);
        match result {
            Ok(image) => {
                self.next_id = self.next_id % 0x00FF_FFFF + 1;
                let id = self.next_id;
                self.ready.insert(key, Ready { id, image });
            }
            Err(why) => {
                self.failed.insert(key, why);
            }
        }
    }

    /// Drops every thumbnail (they were made for another way of drawing).
    /// Ids keep counting, so none is reused while a terminal may hold it.
    pub fn clear(&mut self) {
        let budget = self.ready.budget();
        *self = Thumbs {
            next_id: self.next_id % 0x00FF_FFFF + 1,
            ..Thumbs::new(budget)
        };
    }

    /// The ids of every thumbnail held, for freeing the others in the terminal.
    pub fn ids(&self) -> std::collections::HashSet<u32> {
        self.ready.values().map(|r| r.id).collect()
    }

    /// Changes whenever a thumbnail is added.
    pub fn generation(&self) -> u32 {
        self.next_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_follows_the_screen_within_bounds() {
        assert_eq!(budget_for((160, 48), (10, 20)), 1600 * 960 * 4 * 3);
        assert_eq!(
            budget_for((80, 24), (10, 20)),
            SMALLEST_BUDGET,
            "small screens"
        );
        assert_eq!(budget_for((u16::MAX, u16::MAX), (40, 80)), LARGEST_BUDGET);
        let mut thumbs = Thumbs::default();
        thumbs.fit_budget(budget_for((160, 48), (10, 20)));
        assert_eq!(thumbs.ready.budget(), 1600 * 960 * 12);
    }
}
