//! Images a crash left without their sidecar. An image is written before
//! its sidecar, so a kill between the two leaves a complete image that no
//! sidecar names. Every PNG artty saves carries its sidecar in an `iTXt`
//! chunk; the next scan writes that sidecar back and the image is listed
//! again. Other formats, and PNGs artty did not make (whose sidecar chunk
//! carries no seal of this gallery), are left alone.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use super::atomic::write_new;
use super::index::{IndexEntry, ns_of};
use super::local_file;
use super::png_text::{image_data, read_text_chunks};
use super::seal::Seal;
use super::sidecar::Sidecar;

/// The `iTXt` keyword of the sidecar inside a PNG.
pub const SIDECAR_KEYWORD: &str = "artty-sidecar";
/// The `iTXt` keyword of its seal (see [`super::seal`]).
pub const SEAL_KEYWORD: &str = "artty-seal";

/// PNGs in the folder that no sidecar names. Masks of edits are never
/// listed on their own and carry no sidecar.
pub fn orphans<'a>(files: &'a HashSet<String>, named: &HashSet<&str>) -> Vec<&'a str> {
    let mut found: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|name| name.ends_with(".png") && !name.ends_with("-mask.png"))
        .filter(|name| !named.contains(name))
        .collect();
    found.sort_unstable();
    found
}

/// Writes back the sidecar `dir/name` carries, as `<stem>.json`. `None`
/// when the image carries none, or the sidecar cannot be written (a
/// read-only folder: the image stays, unlisted, for a later start).
pub fn adopt(dir: &Path, name: &str) -> Option<IndexEntry> {
    let stem = name.strip_suffix(".png")?;
    let png = local_file::read_own_file(&dir.join(name)).ok()?;
    let chunks = read_text_chunks(&png);
    let text_of = |wanted: &str| {
        chunks
            .iter()
            .rev()
            .find(|(keyword, _)| keyword == wanted)
            .map(|(_, text)| text.as_str())
    };
    let text = text_of(SIDECAR_KEYWORD)?;
    // Only the copy artty sealed in this gallery is artty's own.
    let sealed = Seal::of(dir).is_some_and(|seal| {
        text_of(SEAL_KEYWORD).is_some_and(|tag| seal.verifies(text, &image_data(&png), tag))
    });
    if !sealed {
        tracing::warn!("{name} carries a sidecar artty did not seal: it is not listed");
        return None;
    }
    let mut sidecar: Sidecar = serde_json::from_str(text).ok()?;
    // The file may have been renamed since; the sidecar names it as it is.
    sidecar.image = name.to_string();
    let json = serde_json::to_vec_pretty(&sidecar).ok()?;
    let sidecar_name = format!("{stem}.json");
    let written = write_new(dir, &sidecar_name, &json).ok()?;
    let meta = fs::metadata(&written).ok()?;
    tracing::info!("listed {name} again from the sidecar inside it");
    Some(IndexEntry {
        name: sidecar_name,
        mtime_ns: meta.modified().map(ns_of).unwrap_or_default(),
        len: meta.len(),
        sidecar,
    })
}
