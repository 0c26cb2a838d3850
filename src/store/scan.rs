//! Listing a gallery folder: through its index when the folder has not
//! changed, reading only new and changed sidecars when it has, adopting
//! images a crash left without a sidecar, and never opening what is not a
//! regular file.

use std::collections::{HashMap, HashSet};
use std::fs;

use super::StoreError;
use super::adopt;
use super::atomic::{TEMP_PREFIX, remove_leftover};
use super::gallery::Gallery;
use super::index::{GalleryIndex, IndexEntry, by_name, dir_mtime_ns, ns_of};
use super::local_file;
use super::sidecar::{SavedImage, image_name, read_sidecar};
use crate::util::inert::inert;

impl Gallery {
    /// Every complete entry, newest first. Sidecars that do not parse or
    /// whose image is missing are skipped, never fatal.
    pub fn load(&self) -> Result<Vec<SavedImage>, StoreError> {
        Ok(self.listed(self.scan(HashMap::new())?.entries))
    }

    /// `load`, through the index: as it stands when the folder has not
    /// changed, else reading only new and changed sidecars. The index is
    /// rewritten when it was missing, corrupt or out of date. The newest
    /// `page` entries of an index are handed to `first_page` before the
    /// rest is read, with the count of the whole.
    pub fn load_indexed(
        &self,
        index: &GalleryIndex,
        page: usize,
        first_page: impl FnOnce(Vec<SavedImage>, usize),
    ) -> Result<Loaded, StoreError> {
        let (known, note) = match index.read(self.dir()) {
            Ok(file) => match file.parse(0..page) {
                Ok(head) => {
                    first_page(self.listed(head.clone()), file.len());
                    match file.parse(page..file.len()) {
                        Ok(mut rest) if file.fresh => {
                            let mut entries = head;
                            entries.append(&mut rest);
                            return Ok(Loaded {
                                images: self.listed(entries),
                                note: None,
                            });
                        }
                        Ok(rest) => (by_name(head.into_iter().chain(rest).collect()), None),
                        Err(why) => (HashMap::new(), Some(why)),
                    }
                }
                Err(why) => (HashMap::new(), Some(why)),
            },
            Err(why) => (HashMap::new(), Some(why)),
        };
        let dir_mtime = dir_mtime_ns(self.dir()).unwrap_or_default();
        let Scanned {
            mut entries,
            adopted,
            not_files,
        } = self.scan(known)?;
        entries.sort_unstable_by(|a, b| {
            b.sidecar
                .created
                .cmp(&a.sidecar.created)
                .then_with(|| b.name.cmp(&a.name))
        });
        let note = match index.write(self.dir(), dir_mtime, &entries) {
            // A missing index is the first start (or a folder of images
            // from elsewhere): nothing to tell. A damaged one is news.
            Ok(()) => note
                .filter(|why| why != "missing")
                .map(|why| format!("The gallery index was {why}: rebuilt from the sidecars")),
            Err(e) => Some(format!("The gallery index could not be saved: {e}")),
        };
        let adopted = (adopted > 0).then(|| {
            format!(
                "{adopted} image(s) an interrupted save left without a sidecar are listed again"
            )
        });
        let not_files = (!not_files.is_empty()).then(|| {
            let names: Vec<String> = not_files.iter().take(3).map(|n| inert(n, 60)).collect();
            let more = not_files.len().saturating_sub(3);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            format!(
                "{}{more} in the gallery are not regular files (a pipe, a device or a folder under an image's name) and were left alone",
                names.join(", ")
            )
        });
        let notes: Vec<String> = adopted.into_iter().chain(not_files).chain(note).collect();
        let note = (!notes.is_empty()).then(|| notes.join(". "));
        Ok(Loaded {
            images: self.listed(entries),
            note,
        })
    }

    /// Lists the folder: removes temp files a crash left, keeps the index
    /// entries of unchanged sidecars and reads the rest. A sidecar whose
    /// image is missing is left out; an image a crash left without its
    /// sidecar gets it back from inside the PNG.
    fn scan(&self, mut known: HashMap<String, IndexEntry>) -> Result<Scanned, StoreError> {
        let listing = fs::read_dir(self.dir()).map_err(StoreError::io("read", self.dir()))?;
        let mut files = HashSet::new();
        let mut sidecars = Vec::new();
        let mut not_files = Vec::new();
        for entry in listing.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) {
                remove_leftover(&entry.path(), &name);
                continue;
            }
            // A FIFO or device under an image's name is not an image, and
            // is never opened: only regular files (or links to them) count.
            let regular = match entry.file_type() {
                Ok(kind) if kind.is_file() => true,
                Ok(kind) if kind.is_symlink() => local_file::is_regular(&entry.path()),
                _ => false,
            };
            if !regular {
                if is_listed_name(&name) {
                    not_files.push(name);
                }
                continue;
            }
            if name.ends_with(".json") {
                sidecars.push((name.clone(), entry));
            }
            files.insert(name);
        }
        let mut entries = Vec::with_capacity(sidecars.len());
        for (name, entry) in sidecars {
            let Ok(meta) = entry.metadata() else { continue };
            let mtime_ns = meta.modified().map(ns_of).unwrap_or_default();
            let len = meta.len();
            let entry = match known.remove(&name) {
                Some(e) if e.mtime_ns == mtime_ns && e.len == len => e,
                _ => match read_sidecar(&self.dir().join(&name)) {
                    Some(sidecar) => IndexEntry {
                        name,
                        mtime_ns,
                        len,
                        sidecar,
                    },
                    None => continue,
                },
            };
            if image_name(&entry.sidecar).is_some_and(|image| files.contains(image)) {
                entries.push(entry);
            }
        }
        let named: HashSet<&str> = entries
            .iter()
            .filter_map(|e| image_name(&e.sidecar))
            .collect();
        let adopted: Vec<IndexEntry> = adopt::orphans(&files, &named)
            .into_iter()
            .filter_map(|name| adopt::adopt(self.dir(), name))
            .collect();
        let count = adopted.len();
        entries.extend(adopted);
        not_files.sort_unstable();
        Ok(Scanned {
            entries,
            adopted: count,
            not_files,
        })
    }

    /// Entries as gallery images, newest first.
    fn listed(&self, entries: Vec<IndexEntry>) -> Vec<SavedImage> {
        let mut saved: Vec<SavedImage> = entries
            .into_iter()
            .filter_map(|e| {
                let path = self.dir().join(image_name(&e.sidecar)?);
                Some(SavedImage {
                    path,
                    sidecar_path: self.dir().join(&e.name),
                    sidecar: e.sidecar,
                })
            })
            .collect();
        saved.sort_unstable_by(|a, b| {
            b.sidecar
                .created
                .cmp(&a.sidecar.created)
                .then_with(|| b.path.cmp(&a.path))
        });
        saved
    }
}

/// A folder's complete entries, how many of them were adopted, and the
/// names of images or sidecars that are not regular files.
struct Scanned {
    entries: Vec<IndexEntry>,
    adopted: usize,
    not_files: Vec<String>,
}

/// A name the gallery would list: a sidecar or an image.
fn is_listed_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    !name.starts_with('.')
        && matches!(
            ext,
            "json" | "png" | "jpg" | "jpeg" | "webp" | "gif" | "svg" | "avif"
        )
}

/// What loading the gallery found.
#[derive(Debug)]
pub struct Loaded {
    pub images: Vec<SavedImage>,
    /// Something about the index worth telling (it was rebuilt, or could not be saved).
    pub note: Option<String>,
}
