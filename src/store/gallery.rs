//! The gallery: each image saved with a JSON sidecar that holds its prompt
//! and every parameter. The sidecar is written last, so an entry is listed
//! only once both files are complete. What a sidecar holds is
//! `sidecar.rs`; listing the folder is `scan.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use super::StoreError;
use super::adopt::{SEAL_KEYWORD, SIDECAR_KEYWORD};
use super::atomic::{ensure_private_dir, remove_leftovers, replace, write_new};
use super::png_text::{image_data, with_text_chunks, without_foreign_chunks};
use super::seal::Seal;
use super::sidecar::{RequestRecord, SavedImage, Sidecar, SourceRef, read_sidecar};
use crate::api::cost::{Cost, total};
use crate::api::result::Generation;
use crate::images::probe::ImageFormat;

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
                revised_prompt: image.revised_prompt.clone(),
                response: generation.meta.clone(),
                index,
                count,
                request_id: generation.request_id.clone(),
                sources: record.sources.clone(),
                mask: mask.clone(),
                markup: markup.clone(),
                fit: record.fit,
                reused_from: record.reused_from.clone(),
                group: record.group.clone(),
                batch_api: record.batch_api.clone(),
                cost: cost.map(|c| Cost {
                    usd: c.usd / count as f64,
                    ..c
                }),
                ..Sidecar::new(
                    name.clone(),
                    created,
                    record.endpoint,
                    record.params.clone(),
                    record.server.clone(),
                    &image.info,
                    image.bytes.len() as u64,
                )
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

    /// Rewrites an entry's sidecar (a favourite mark), atomically.
    pub fn update_sidecar(image: &SavedImage) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(&image.sidecar).map_err(|e| StoreError::Invalid {
            path: image.sidecar_path.clone(),
            detail: e.to_string(),
        })?;
        replace(&image.sidecar_path, &json)
    }
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
    use crate::api::catalog::Endpoint;
    use crate::api::request::ImageParams;

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
