//! The gallery: each image saved with a JSON sidecar that holds its prompt
//! and every parameter. The sidecar is written last, so an entry is listed
//! only once both files are complete.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::atomic::{ensure_private_dir, remove_leftovers, write_new};
use super::png_text::with_text_chunks;
use crate::api::catalog::Endpoint;
use crate::api::request::ImageParams;
use crate::api::response::ResponseMeta;
use crate::api::result::Generation;
use crate::edit::FitOptions;
use crate::images::probe::ImageFormat;

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
    /// How the sources were fitted to the model, so an edit can be repeated.
    #[serde(default)]
    pub fit: Option<FitOptions>,
}

impl Sidecar {
    /// Made from other images (an edit or a variation).
    pub fn has_parents(&self) -> bool {
        !self.sources.is_empty()
    }
}

/// What the request was, for the sidecars of its images.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub endpoint: Endpoint,
    pub params: ImageParams,
    pub server: String,
    pub sources: Vec<SourceRef>,
    pub mask: Option<SourceRef>,
    /// A mask painted in the app: saved as `<name>-mask.png` with the
    /// images, and recorded as their `mask`.
    pub mask_png: Option<bytes::Bytes>,
    pub fit: Option<FitOptions>,
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
        let dir = dir.into();
        ensure_private_dir(&dir)?;
        remove_leftovers(&dir)?;
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
        let stem = file_stem(created, record.params.prompt.as_deref());
        let count = generation.images.len();
        let mask = match &record.mask_png {
            Some(png) => Some(self.save_mask(&stem, png)?),
            None => record.mask.clone(),
        };
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
                fit: record.fit,
            };
            let bytes = tagged_bytes(&image.bytes, image.info.format, &sidecar);
            let path = write_new(&self.dir, &name, &bytes)?;
            let json = serde_json::to_vec_pretty(&sidecar).map_err(|e| StoreError::Invalid {
                path: path.clone(),
                detail: e.to_string(),
            })?;
            let sidecar_path = write_new(&self.dir, &format!("{numbered}.json"), &json)?;
            saved.push(SavedImage {
                path,
                sidecar_path,
                sidecar,
            });
        }
        Ok(saved)
    }

    /// The painted mask of an edit, written before the images that use it.
    fn save_mask(&self, stem: &str, png: &[u8]) -> Result<SourceRef, StoreError> {
        let path = write_new(&self.dir, &format!("{stem}-mask.png"), png)?;
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
        let entries = fs::read_dir(&self.dir).map_err(StoreError::io("read", &self.dir))?;
        let mut saved: Vec<SavedImage> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|sidecar_path| self.load_one(sidecar_path))
            .collect();
        saved.sort_by(|a, b| {
            b.sidecar
                .created
                .cmp(&a.sidecar.created)
                .then(b.path.cmp(&a.path))
        });
        Ok(saved)
    }

    fn load_one(&self, sidecar_path: PathBuf) -> Option<SavedImage> {
        let text = fs::read(&sidecar_path).ok()?;
        let sidecar: Sidecar = serde_json::from_slice(&text).ok()?;
        let image_name = Path::new(&sidecar.image).file_name()?;
        let path = self.dir.join(image_name);
        path.is_file().then_some(SavedImage {
            path,
            sidecar_path,
            sidecar,
        })
    }
}

/// PNGs carry the prompt and parameters inside them too.
fn tagged_bytes(bytes: &[u8], format: ImageFormat, sidecar: &Sidecar) -> Vec<u8> {
    if format != ImageFormat::Png {
        return bytes.to_vec();
    }
    let params = serde_json::to_string(&sidecar.params).unwrap_or_default();
    let prompt = sidecar.prompt.as_deref().unwrap_or("");
    with_text_chunks(
        bytes,
        &[
            ("prompt", prompt),
            ("parameters", &params),
            ("Software", "artty"),
        ],
    )
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
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("A red fox, in the snow!", 40), "a-red-fox-in-the-snow");
        assert_eq!(slug("../../etc/passwd", 40), "etc-passwd");
        assert_eq!(slug("\u{1b}[31mhi", 40), "31mhi");
        assert_eq!(slug("one two three", 7), "one-two");
        assert_eq!(slug("日本語", 40), "");
    }
}
