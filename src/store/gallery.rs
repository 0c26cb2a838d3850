//! The gallery: each image saved with a JSON sidecar that holds its prompt
//! and every parameter. The sidecar is written last, so an entry is listed
//! only once both files are complete.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::adopt::{self, SEAL_KEYWORD, SIDECAR_KEYWORD};
use super::atomic::{
    TEMP_PREFIX, ensure_private_dir, remove_leftover, remove_leftovers, replace, write_new,
};
use super::index::{GalleryIndex, IndexEntry, by_name, dir_mtime_ns, ns_of};
use super::local_file::{self, Named};
use super::png_text::{image_data, with_text_chunks, without_foreign_chunks};
use super::seal::Seal;
use crate::api::catalog::Endpoint;
use crate::api::cost::{Cost, Prices, total};
use crate::api::request::ImageParams;
use crate::api::response::ResponseMeta;
use crate::api::result::Generation;
use crate::edit::FitOptions;
use crate::images::probe::ImageFormat;
use crate::inert::inert;

pub const SIDECAR_VERSION: u32 = 1;

/// An input file of an edit or variation, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub path: String,
    pub format: String,
    pub width: u32,
    pub height: u32,
}

/// Everything known about one saved image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    pub version: u32,
    /// The file name of the image, in the same folder.
    pub image: String,
    pub created: jiff::Timestamp,
    pub endpoint: Endpoint,
    pub model: String,
    pub prompt: Option<String>,
    pub revised_prompt: Option<String>,
    /// Exactly the parameters that were sent.
    pub params: ImageParams,
    /// What the server said about the result (size, quality, usage…).
    pub response: ResponseMeta,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// This image's place among the request's images (0-based) and their count.
    pub index: usize,
    pub count: usize,
    pub request_id: Option<String>,
    /// The server, without credentials or query.
    pub server: String,
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// The mask as painted over the first source, saved beside the image.
    #[serde(default)]
    pub mask: Option<SourceRef>,
    /// The markup laid over the first source, saved beside the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<SourceRef>,
    /// An animated image's frames and the time of each, as read from the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animation: Option<crate::images::probe::Animation>,
    /// How the sources were fitted to the model, so an edit can be repeated.
    #[serde(default)]
    pub fit: Option<FitOptions>,
    /// Marked as a favourite.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    /// The image whose prompt and parameters were reused to make this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reused_from: Option<String>,
    /// The sweep or batch this image was made in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// What this image cost, as priced when it was made; missing when the
    /// price was not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
}

/// What kind of run made a group of images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    Sweep,
    Batch,
}

/// Images made together: the cells of a sweep or the lines of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub kind: GroupKind,
    pub id: String,
    /// A sweep's cell or a batch line: which one this image is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

impl Sidecar {
    /// Made from other images (an edit or a variation).
    pub fn has_parents(&self) -> bool {
        !self.sources.is_empty()
    }
}

/// What the request was, for the sidecars of its images.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub endpoint: Endpoint,
    pub params: ImageParams,
    pub server: String,
    pub sources: Vec<SourceRef>,
    pub mask: Option<SourceRef>,
    /// A mask painted in the app: saved as `<name>-mask.png` with the
    /// images, and recorded as their `mask`.
    pub mask_png: Option<bytes::Bytes>,
    pub markup: Option<SourceRef>,
    /// Markup drawn in the app: saved as `<name>-markup.png`.
    pub markup_png: Option<bytes::Bytes>,
    pub fit: Option<FitOptions>,
    pub reused_from: Option<String>,
    pub group: Option<Group>,
    /// The model's prices when the request was sent, to cost the result.
    pub prices: Option<Prices>,
}

impl RequestRecord {
    /// A request with no input images, origin or group.
    pub fn new(
        endpoint: Endpoint,
        params: ImageParams,
        server: impl Into<String>,
        prices: Option<Prices>,
    ) -> RequestRecord {
        RequestRecord {
            endpoint,
            params,
            server: server.into(),
            sources: Vec::new(),
            mask: None,
            mask_png: None,
            markup: None,
            markup_png: None,
            fit: None,
            reused_from: None,
            group: None,
            prices,
        }
    }
}

/// One saved image and where its files are.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedImage {
    pub path: PathBuf,
    pub sidecar_path: PathBuf,
    pub sidecar: Sidecar,
}

/// A gallery folder.
#[derive(Debug, Clone)]
pub struct Gallery {
    dir: PathBuf,
}

impl Gallery {
    /// Opens (and creates) the folder, removing temp files a crash left behind.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Gallery, StoreError> {
        let gallery = Gallery::at(dir)?;
        remove_leftovers(&gallery.dir)?;
        Ok(gallery)
    }

    /// Opens (and creates) the folder without listing it: for saving, and
    /// for loading, which removes leftovers itself when it lists the folder.
    pub fn at(dir: impl Into<PathBuf>) -> Result<Gallery, StoreError> {
        let dir = dir.into();
        ensure_private_dir(&dir)?;
        Ok(Gallery { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves every image of a generation, each before its sidecar.
    pub fn save(
        &self,
        generation: &Generation,
        record: &RequestRecord,
    ) -> Result<Vec<SavedImage>, StoreError> {
        let created = jiff::Timestamp::now();
        // Without a seal the image is saved all the same; only its adoption
        // after a kill is lost.
        let seal = Seal::of_or_new(&self.dir)
            .inspect_err(|e| tracing::warn!("images are saved unsealed: {e}"))
            .ok();
        let stem = file_stem(created, record.params.prompt.as_deref());
        let count = generation.images.len();
        let mask = match &record.mask_png {
            Some(png) => Some(self.save_input(&stem, "mask", png)?),
            None => record.mask.clone(),
        };
        let markup = match &record.markup_png {
            Some(png) => Some(self.save_input(&stem, "markup", png)?),
            None => record.markup.clone(),
        };
        let cost = record.prices.as_ref().and_then(|prices| {
            let mut params = record.params.clone();
            // The server's default size is named in its answer.
            params.size = params.size.or_else(|| generation.meta.size.clone());
            let meta = &generation.meta;
            total(
                prices,
                &params,
                meta.usage.as_ref(),
                meta.svg_usage.as_ref(),
                count,
            )
        });
        let mut saved = Vec::with_capacity(count);
        for (index, image) in generation.images.iter().enumerate() {
            let numbered = if count > 1 {
                format!("{stem}-{}", index + 1)
            } else {
                stem.clone()
            };
            let name = format!("{numbered}.{}", image.info.format.extension());
            let sidecar = Sidecar {
                version: SIDECAR_VERSION,
                image: name.clone(),
                created,
                endpoint: record.endpoint,
                model: record.params.model.clone(),
                prompt: record.params.prompt.clone(),
                revised_prompt: image.revised_prompt.clone(),
                params: record.params.clone(),
                response: generation.meta.clone(),
                format: image.info.format,
                width: image.info.width,
                height: image.info.height,
                bytes: image.bytes.len() as u64,
                index,
                count,
                request_id: generation.request_id.clone(),
                server: record.server.clone(),
                sources: record.sources.clone(),
                mask: mask.clone(),
                markup: markup.clone(),
                animation: image.info.animation,
                fit: record.fit,
                favourite: false,
                reused_from: record.reused_from.clone(),
                group: record.group.clone(),
                cost: cost.map(|c| Cost {
                    usd: c.usd / count as f64,
                    ..c
                }),
            };
            let bytes = tagged_bytes(&image.bytes, image.info.format, &sidecar, seal.as_ref());
            let path = write_new(&self.dir, &name, &bytes)?;
            let json = serde_json::to_vec_pretty(&sidecar).map_err(|e| StoreError::Invalid {
                path: path.clone(),
                detail: e.to_string(),
            })?;
            // An image whose sidecar failed on a full or read-only disk is
            // taken back: no partial entry.
            let sidecar_path = self
                .write_sidecar(&format!("{numbered}.json"), &name, &json)
                .inspect_err(|_| {
                    let _ = fs::remove_file(&path);
                })?;
            saved.push(SavedImage {
                path,
                sidecar_path,
                sidecar,
            });
        }
        Ok(saved)
    }

    /// Writes a new image's sidecar. Another artty's scan may have adopted
    /// the image after it was written, from the copy inside it: a sidecar
    /// already there that names this image is the same one, and is kept.
    fn write_sidecar(
        &self,
        sidecar_name: &str,
        image: &str,
        json: &[u8],
    ) -> Result<PathBuf, StoreError> {
        write_new(&self.dir, sidecar_name, json).or_else(|e| {
            let there = self.dir.join(sidecar_name);
            match read_sidecar(&there) {
                Some(adopted) if adopted.image == image => Ok(there),
                _ => Err(e),
            }
        })
    }

    /// The painted mask or drawn markup of an edit, written before the
    /// images that use it.
    fn save_input(&self, stem: &str, what: &str, png: &[u8]) -> Result<SourceRef, StoreError> {
        let path = write_new(&self.dir, &format!("{stem}-{what}.png"), png)?;
        let info = crate::images::probe::probe(png).map_err(|e| StoreError::Invalid {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        Ok(SourceRef {
            path: path.display().to_string(),
            format: info.format.api_name().to_string(),
            width: info.width,
            height: info.height,
        })
    }

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
        let (known, note) = match index.read(&self.dir) {
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
        let dir_mtime = dir_mtime_ns(&self.dir).unwrap_or_default();
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
        let note = match index.write(&self.dir, dir_mtime, &entries) {
            Ok(()) => {
                note.map(|why| format!("The gallery index was {why}: rebuilt from the sidecars"))
            }
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
        let listing = fs::read_dir(&self.dir).map_err(StoreError::io("read", &self.dir))?;
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
                _ => match read_sidecar(&self.dir.join(&name)) {
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
            .filter_map(|name| adopt::adopt(&self.dir, name))
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
                let path = self.dir.join(image_name(&e.sidecar)?);
                Some(SavedImage {
                    path,
                    sidecar_path: self.dir.join(&e.name),
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

    /// Rewrites an entry's sidecar (a favourite mark), atomically.
    pub fn update_sidecar(image: &SavedImage) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(&image.sidecar).map_err(|e| StoreError::Invalid {
            path: image.sidecar_path.clone(),
            detail: e.to_string(),
        })?;
        replace(&image.sidecar_path, &json)
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

fn read_sidecar(path: &Path) -> Option<Sidecar> {
    let bytes = local_file::read(path, local_file::limit::SIDECAR, Named::ByArtty).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The image's file name in the folder; a sidecar naming a path elsewhere
/// is only ever read within the folder.
fn image_name(sidecar: &Sidecar) -> Option<&str> {
    Path::new(&sidecar.image).file_name()?.to_str()
}

/// PNGs carry the prompt and parameters inside them too, and only those:
/// the text chunks the server wrote are dropped first.
fn tagged_bytes(
    bytes: &[u8],
    format: ImageFormat,
    sidecar: &Sidecar,
    seal: Option<&Seal>,
) -> Vec<u8> {
    if format != ImageFormat::Png {
        return bytes.to_vec();
    }
    let bytes = &without_foreign_chunks(bytes);
    let params = serde_json::to_string(&sidecar.params).unwrap_or_default();
    let prompt = sidecar.prompt.as_deref().unwrap_or("");
    // The whole sidecar too: a crash before the sidecar file is written
    // loses nothing (see `adopt`).
    let whole = serde_json::to_string(sidecar).unwrap_or_default();
    let mut chunks = vec![
        ("prompt", prompt),
        ("parameters", params.as_str()),
        ("Software", "artty"),
    ];
    let sealed = seal.map(|seal| seal.sign(&whole, &image_data(bytes)));
    if let Some(sealed) = &sealed {
        chunks.push((SIDECAR_KEYWORD, &whole));
        chunks.push((SEAL_KEYWORD, sealed));
    }
    with_text_chunks(bytes, &chunks)
}

/// `20261121-143012-a-red-fox-in-snow-k3x9q2`: sortable, readable, unique.
fn file_stem(created: jiff::Timestamp, prompt: Option<&str>) -> String {
    let when = created.strftime("%Y%m%d-%H%M%S");
    let slug = slug(prompt.unwrap_or("variation"), 40);
    let tag: String = (0..6)
        .map(|_| fastrand::alphanumeric().to_ascii_lowercase())
        .collect();
    if slug.is_empty() {
        format!("{when}-{tag}")
    } else {
        format!("{when}-{slug}-{tag}")
    }
}

/// Lower-case ASCII words joined by `-`, at most `max` bytes, cut at a word.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let extra = word.len() + usize::from(!out.is_empty());
        if out.len() + extra > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sidecar_adopted_meanwhile_is_kept_and_any_other_is_not_overwritten() {
        use crate::api::GeneratedImage;
        use crate::images::synthetic::Synthetic;
        let dir = tempfile::tempdir().unwrap();
        let gallery = Gallery::at(dir.path()).unwrap();
        let bytes = Synthetic {
            width: 4,
            height: 4,
            seed: 1,
            transparent: false,
            coarseness: 1,
        }
        .encode(ImageFormat::Png);
        let generation = Generation {
            images: vec![GeneratedImage {
                info: crate::images::probe::probe(&bytes).unwrap(),
                bytes: bytes.into(),
                revised_prompt: None,
            }],
            meta: Default::default(),
            request_id: None,
            warning: None,
        };
        let params = ImageParams::new("gpt-image-2");
        let record = RequestRecord::new(Endpoint::Generations, params, "s", None);
        // What an adopting scan leaves: the image's own sidecar.
        let saved = gallery.save(&generation, &record).unwrap().remove(0);
        let (sidecar_name, image) = (
            saved.sidecar_path.file_name().unwrap().to_str().unwrap(),
            saved.sidecar.image.as_str(),
        );
        let adopted = fs::read(&saved.sidecar_path).unwrap();
        let kept = gallery.write_sidecar(sidecar_name, image, b"{}").unwrap();
        assert_eq!(kept, saved.sidecar_path);
        assert_eq!(fs::read(&kept).unwrap(), adopted, "the adopted copy stays");
        let other = gallery.write_sidecar(sidecar_name, "another.png", b"{}");
        assert!(
            other.is_err(),
            "a sidecar naming another image is never taken"
        );
        let fresh = gallery.write_sidecar("z.json", "z.png", b"{}").unwrap();
        assert_eq!(fs::read(fresh).unwrap(), b"{}");
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("A red fox, in the snow!", 40), "a-red-fox-in-the-snow");
        assert_eq!(slug("../../etc/passwd", 40), "etc-passwd");
        assert_eq!(slug("\u{1b}[31mhi", 40), "31mhi");
        assert_eq!(slug("one two three", 7), "one-two");
        assert_eq!(slug("日本語", 40), "");
    }
}
