//! The gallery index: the same list as the sidecars in every case, rebuilt
//! when missing or corrupt, caught up when the folder changed, and the
//! exports and cost records made from the same entries.

use crate::common;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use artty::api::cost::{CostBasis, Prices};
use artty::api::{Endpoint, GeneratedImage, Generation, ImageParams};
use artty::images::probe::{ImageFormat, probe};
use artty::store::index::GalleryIndex;
use artty::store::sidecar::{RequestRecord, SavedImage};
use artty::store::{gallery::Gallery, scan::Loaded};
use common::image_bytes;

fn generation(n: usize) -> Generation {
    let images = (0..n)
        .map(|_| {
            let bytes = image_bytes(8, 8, ImageFormat::Png, false);
            GeneratedImage {
                info: probe(&bytes).unwrap(),
                bytes,
                revised_prompt: None,
            }
        })
        .collect();
    Generation {
        images,
        meta: serde_json::from_value(serde_json::json!({
            "size": "1024x1024",
            "usage": {"input_tokens": 10, "output_tokens": 1000,
                      "input_tokens_details": {"text_tokens": 10, "image_tokens": 0}}
        }))
        .unwrap(),
        request_id: None,
        warning: None,
    }
}

fn record(prompt: &str, prices: Option<Prices>) -> RequestRecord {
    let params = ImageParams {
        prompt: Some(prompt.into()),
        ..ImageParams::new("gpt-image-1-mini")
    };
    RequestRecord::new(
        Endpoint::Generations,
        params,
        "http://127.0.0.1:1/v1",
        prices,
    )
}

struct Setup {
    dir: tempfile::TempDir,
    _cache: tempfile::TempDir,
    gallery: Gallery,
    index: GalleryIndex,
}

fn setup(count: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let gallery = Gallery::at(dir.path()).unwrap();
    for i in 0..count {
        gallery
            .save(&generation(1), &record(&format!("prompt {i}"), None))
            .unwrap();
    }
    let index = GalleryIndex::new(cache.path(), dir.path());
    Setup {
        dir,
        _cache: cache,
        gallery,
        index,
    }
}

fn load(s: &Setup) -> Loaded {
    s.gallery.load_indexed(&s.index, 2, |_, _| {}).unwrap()
}

fn paths(images: &[SavedImage]) -> Vec<String> {
    images
        .iter()
        .map(|i| i.path.display().to_string())
        .collect()
}

/// A folder last changed a minute ago: an index written now is trusted.
fn settle(dir: &Path) {
    fs::File::open(dir)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(60))
        .unwrap();
}

#[test]
fn a_missing_index_is_rebuilt_and_then_used() {
    let s = setup(5);
    let truth = s.gallery.load().unwrap();
    let first = load(&s);
    // A first start (no index yet) is nothing to tell about.
    assert_eq!(first.note, None);
    assert_eq!(paths(&first.images), paths(&truth));
    assert!(s.index.path().is_file());
    settle(s.dir.path());
    // Written again with the settled folder time, then read as it stands:
    // the fresh index is not written again.
    load(&s);
    let written = fs::read(s.index.path()).unwrap();
    fs::File::options()
        .write(true)
        .open(s.index.path())
        .unwrap()
        .set_modified(SystemTime::UNIX_EPOCH)
        .unwrap();
    let mut page = None;
    let again = s
        .gallery
        .load_indexed(&s.index, 2, |images, total| {
            page = Some((paths(&images), total))
        })
        .unwrap();
    assert_eq!(again.note, None);
    assert_eq!(again.images, truth);
    let untouched = fs::metadata(s.index.path()).unwrap().modified().unwrap();
    assert_eq!(
        untouched,
        SystemTime::UNIX_EPOCH,
        "a fresh index was rewritten"
    );
    assert_eq!(fs::read(s.index.path()).unwrap(), written);
    let (page, total) = page.expect("the first page comes first");
    assert_eq!((page.len(), total), (2, 5));
    assert_eq!(page, paths(&truth)[..2]);
}

#[test]
fn a_corrupt_or_cut_index_is_rebuilt_from_the_sidecars() {
    let s = setup(4);
    let truth = s.gallery.load().unwrap();
    load(&s);
    let text = fs::read_to_string(s.index.path()).unwrap();
    for broken in [
        "garbage\n".to_string(),
        text[..text.len() / 2].to_string(),
        text.replace("\"s\":{", "\"s\":{\"version\":\"x\","),
        String::new(),
    ] {
        fs::write(s.index.path(), broken).unwrap();
        let loaded = load(&s);
        assert!(
            loaded
                .note
                .as_deref()
                .is_some_and(|n| n.contains("rebuilt")),
            "{:?}",
            loaded.note
        );
        assert_eq!(loaded.images, truth);
    }
}

#[test]
fn the_index_catches_up_with_added_removed_and_changed_sidecars() {
    let s = setup(3);
    settle(s.dir.path());
    load(&s);
    let before = load(&s).images;
    // Another process saves one, one is deleted, one is marked a favourite.
    s.gallery
        .save(&generation(1), &record("new one", None))
        .unwrap();
    fs::remove_file(&before[0].path).unwrap();
    fs::remove_file(&before[0].sidecar_path).unwrap();
    let mut fav = before[1].clone();
    fav.sidecar.favourite = true;
    Gallery::update_sidecar(&fav).unwrap();
    let after = load(&s);
    assert_eq!(after.note, None);
    assert_eq!(after.images, s.gallery.load().unwrap());
    assert_eq!(after.images.len(), 3);
    assert!(after.images.iter().any(|i| i.sidecar.favourite));
    assert!(!paths(&after.images).contains(&before[0].path.display().to_string()));
}

#[test]
fn an_image_left_without_its_sidecar_is_listed_again_and_the_load_says_so() {
    let s = setup(3);
    settle(s.dir.path());
    load(&s);
    let before = load(&s).images;
    // A kill between the image and its sidecar, in another process.
    fs::remove_file(&before[1].sidecar_path).unwrap();
    let after = load(&s);
    assert_eq!(after.images, before);
    let note = after.note.unwrap_or_default();
    assert!(
        note.contains("1 image(s)") && note.contains("listed again"),
        "{note}"
    );
    assert_eq!(load(&s).note, None, "adopted once");
}

#[test]
fn leftover_temp_files_are_removed_when_the_folder_is_listed() {
    let s = setup(1);
    let dead = s.dir.path().join(".artty-tmp-4194303-abcdef");
    fs::write(&dead, b"half").unwrap();
    let loaded = load(&s);
    assert_eq!(loaded.images.len(), 1);
    assert!(!dead.exists());
}

#[test]
fn saved_images_record_their_cost_from_usage() {
    let s = setup(0);
    let prices = artty::api::Catalog::builtin()
        .get("gpt-image-1-mini")
        .unwrap()
        .price
        .clone();
    let saved = s
        .gallery
        .save(&generation(2), &record("two", prices))
        .unwrap();
    // (10 text tokens × $2 + 1000 output tokens × $8) per million, split over 2 images.
    let each = (10.0 * 2.0 + 1000.0 * 8.0) / 1e6 / 2.0;
    for image in &saved {
        let cost = image.sidecar.cost.unwrap();
        assert!((cost.usd - each).abs() < 1e-12, "{cost:?}");
        assert_eq!(cost.basis, CostBasis::Usage);
    }
    let free = s
        .gallery
        .save(&generation(1), &record("demo", Some(Prices::free())))
        .unwrap();
    assert_eq!(free[0].sidecar.cost.unwrap().basis, CostBasis::Free);
    let unknown = s
        .gallery
        .save(&generation(1), &record("custom", None))
        .unwrap();
    assert_eq!(unknown[0].sidecar.cost, None);
}

#[test]
fn an_export_copies_each_entry_once_and_never_overwrites() {
    let s = setup(2);
    let images = s.gallery.load().unwrap();
    let out = tempfile::tempdir().unwrap();
    let done = artty::store::export::export(&images, out.path()).unwrap();
    assert_eq!((done.copied, done.present), (2, 0));
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 4);
    let again = artty::store::export::export(&images, out.path()).unwrap();
    assert_eq!((again.copied, again.present), (0, 2));
    // A different file of the same name is kept; the copy gets -2.
    let name = images[0].path.file_name().unwrap();
    fs::write(out.path().join(name), b"someone else's").unwrap();
    artty::store::export::export(&images[..1], out.path()).unwrap();
    assert_eq!(fs::read(out.path().join(name)).unwrap(), b"someone else's");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 5);
}
