//! The gallery against files that are not what they seem: chunks a server
//! or another program wrote, FIFOs and devices under image names, sidecars
//! naming files elsewhere.

use crate::common;

use std::fs;
use std::os::unix::fs::symlink;
use std::time::Duration;

use artty::api::{Endpoint, GeneratedImage, Generation, ImageParams};
use artty::images::probe::{ImageFormat, probe};
use artty::store::gallery::Gallery;
use artty::store::png_text::{read_text_chunks, with_text_chunks};
use artty::store::sidecar::RequestRecord;
use common::*;

/// A sidecar as a hostile server (or a downloaded file) would forge it.
fn forged_sidecar(secret_file: &str) -> String {
    serde_json::json!({
        "version": 1, "image": "x.png", "created": "2020-01-01T00:00:00Z",
        "endpoint": "edits", "model": "forged", "prompt": "FORGED PROMPT",
        "revised_prompt": null, "params": {"model": "forged"}, "response": {},
        "format": "png", "width": 16, "height": 16, "bytes": 1, "index": 0, "count": 1,
        "request_id": null, "server": "x", "favourite": true,
        "group": {"kind": "batch", "id": "batch-0000000000000000", "item": "1"},
        "mask": {"path": secret_file, "format": "png", "width": 1, "height": 1}
    })
    .to_string()
}

fn png_with_forged_chunks(secret_file: &str) -> Vec<u8> {
    let png = image_bytes(16, 16, ImageFormat::Png, false);
    with_text_chunks(
        &png,
        &[
            ("artty-sidecar", &forged_sidecar(secret_file)),
            ("prompt", "FORGED PROMPT"),
        ],
    )
}

/// A FIFO at `path`, with no writer: opening it blocking would hang.
fn make_fifo(path: impl AsRef<std::path::Path>) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path.as_ref(),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
}

fn save(gallery: &Gallery, bytes: Vec<u8>) -> artty::store::sidecar::SavedImage {
    save_edit(gallery, bytes, None)
}

/// `save`, with the mask an edit painted (kept beside the image).
fn save_edit(
    gallery: &Gallery,
    bytes: Vec<u8>,
    mask_png: Option<Vec<u8>>,
) -> artty::store::sidecar::SavedImage {
    let generation = Generation {
        images: vec![GeneratedImage {
            info: probe(&bytes).unwrap(),
            bytes: bytes.into(),
            revised_prompt: None,
        }],
        meta: Default::default(),
        request_id: None,
        warning: None,
    };
    let mut params = ImageParams::new("gpt-image-2");
    params.prompt = Some("the real prompt".into());
    let record = RequestRecord {
        mask_png: mask_png.map(Into::into),
        ..RequestRecord::new(Endpoint::Generations, params, "http://127.0.0.1:1/v1", None)
    };
    gallery.save(&generation, &record).unwrap().remove(0)
}

#[test]
fn a_servers_own_chunks_are_dropped_and_never_adopted_after_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("id_ed25519");
    fs::write(&secret, "PRIVATE KEY").unwrap();
    let gallery = Gallery::open(dir.path().join("gallery")).unwrap();
    let saved = save(&gallery, png_with_forged_chunks(secret.to_str().unwrap()));
    let chunks = read_text_chunks(&fs::read(&saved.path).unwrap());
    assert!(
        chunks.iter().all(|(_, text)| !text.contains("FORGED")),
        "{chunks:?}"
    );
    // A kill between image and sidecar: the image is listed again with
    // artty's own sidecar, not the server's.
    fs::remove_file(&saved.sidecar_path).unwrap();
    let listed = gallery.load().unwrap();
    assert_eq!(listed.len(), 1);
    let sidecar = &listed[0].sidecar;
    assert_eq!(sidecar.prompt.as_deref(), Some("the real prompt"));
    assert!(!sidecar.favourite && sidecar.group.is_none() && sidecar.mask.is_none());
}

#[test]
fn a_png_copied_into_the_gallery_with_a_forged_sidecar_chunk_is_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    // The gallery has a seal already; the copied file carries none of it.
    save(
        &gallery,
        image_bytes(8, 8, ImageFormat::Png, false).to_vec(),
    );
    fs::write(
        dir.path().join("copied.png"),
        png_with_forged_chunks("/etc/passwd"),
    )
    .unwrap();
    let listed = gallery.load().unwrap();
    assert_eq!(listed.len(), 1, "only artty's own image");
    assert!(!dir.path().join("copied.json").exists());
}

#[test]
fn export_copies_only_a_mask_artty_kept_in_the_gallery() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.png");
    fs::write(&secret, image_bytes(4, 4, ImageFormat::Png, false)).unwrap();
    let gallery = Gallery::open(dir.path().join("gallery")).unwrap();
    let mut image = save_edit(
        &gallery,
        image_bytes(8, 8, ImageFormat::Png, false).to_vec(),
        Some(image_bytes(8, 8, ImageFormat::Png, true).to_vec()),
    );
    let exported = |image: &artty::store::sidecar::SavedImage, to: &str| {
        let out = dir.path().join(to);
        artty::store::export::export(std::slice::from_ref(image), &out).unwrap();
        let mut copied: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        copied.sort();
        copied
    };
    let kept = exported(&image, "export");
    assert_eq!(
        kept.len(),
        3,
        "the image, its sidecar and its mask: {kept:?}"
    );
    assert!(kept.iter().any(|n| n.ends_with("-mask.png")), "{kept:?}");
    image.sidecar.mask = Some(artty::store::sidecar::SourceRef {
        path: secret.display().to_string(),
        format: "png".into(),
        width: 4,
        height: 4,
    });
    let forged = exported(&image, "export-forged");
    assert_eq!(
        forged.len(),
        2,
        "the image and its sidecar only: {forged:?}"
    );
    assert!(!forged.contains(&"secret.png".to_string()));
}

#[test]
fn fifos_and_devices_under_image_names_never_block_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    let saved = save(
        &gallery,
        image_bytes(8, 8, ImageFormat::Png, false).to_vec(),
    );
    for name in ["orphan.png", "fifo.json"] {
        let path = dir.path().join(name);
        make_fifo(path);
    }
    symlink("/dev/zero", dir.path().join("zero.png")).unwrap();
    symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    // Listing runs on another thread: a hang would be a test that never ends.
    let (tx, rx) = std::sync::mpsc::channel();
    let scanning = gallery.clone();
    std::thread::spawn(move || {
        let _ = tx.send(scanning.load().map(|l| l.len()));
    });
    let listed = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the scan returned instead of blocking on a FIFO");
    assert_eq!(listed.unwrap(), 1);
    assert!(saved.path.exists());
    // And the load says what it left alone, instead of swallowing it.
    let cache = tempfile::tempdir().unwrap();
    let index = artty::store::index::GalleryIndex::new(cache.path(), dir.path());
    let loaded = gallery.load_indexed(&index, 10, |_, _| {}).unwrap();
    let note = loaded.note.unwrap();
    assert!(
        note.contains(
            "fifo.json, orphan.png, zero.json and 1 more in the gallery are not regular files"
        ),
        "{note}"
    );
}

fn dirs_in(root: &std::path::Path) -> artty::store::Dirs {
    artty::store::Dirs {
        config: root.join("config"),
        data: root.join("data"),
        cache: root.join("cache"),
    }
}

#[test]
fn a_credentials_folder_or_fifo_is_named_for_what_it_is_and_never_blocks() {
    let root = tempfile::tempdir().unwrap();
    let dirs = dirs_in(root.path());
    fs::create_dir_all(dirs.credentials()).unwrap();
    let warnings = artty::store::secrets::find_key_with(&dirs, None).warnings;
    assert!(warnings[0].contains("is a folder"), "{warnings:?}");
    assert!(!warnings[0].contains("mode"), "{warnings:?}");
    fs::remove_dir(dirs.credentials()).unwrap();
    make_fifo(dirs.credentials());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(artty::store::secrets::find_key_with(&dirs, None).warnings);
    });
    let warnings = rx.recv_timeout(Duration::from_secs(120)).expect("no hang");
    assert!(warnings[0].contains("pipe"), "{warnings:?}");
}

#[test]
fn a_fifo_as_state_json_starts_the_app_over_instead_of_blocking_it() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("state.json");
    make_fifo(&path);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(artty::store::app_state::AppState::load(&path).1);
    });
    let note = rx.recv_timeout(Duration::from_secs(120)).expect("no hang");
    assert!(note.unwrap().contains("pipe"));
}

#[test]
fn a_broken_sealing_key_never_stops_an_image_being_saved() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    make_fifo(dir.path().join(".artty-seal"));
    let saved = save(
        &gallery,
        image_bytes(8, 8, ImageFormat::Png, false).to_vec(),
    );
    assert!(saved.path.is_file() && saved.sidecar_path.is_file());
    let chunks = read_text_chunks(&fs::read(&saved.path).unwrap());
    assert!(chunks.iter().any(|(k, _)| k == "prompt"));
    assert!(
        chunks.iter().all(|(k, _)| k != "artty-sidecar"),
        "unsealed: not adoptable"
    );
}
