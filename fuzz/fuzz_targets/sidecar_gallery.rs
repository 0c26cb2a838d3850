//! The gallery loader over hostile files: a sidecar and an index file of
//! any bytes, and a PNG no sidecar names carrying the same bytes as its
//! inner sidecar. Loading never fails on them, lists only images inside
//! the folder, a sidecar that parses survives a save and reload, and a
//! sidecar written back from a PNG names that PNG.
#![no_main]

use std::sync::OnceLock;

use artty::store::adopt::SIDECAR_KEYWORD;
use artty::store::gallery::Gallery;
use artty::store::sidecar::Sidecar;
use artty::store::png_text::with_text_chunks;
use artty::store::index::GalleryIndex;
use libfuzzer_sys::fuzz_target;

struct Place {
    _root: tempfile::TempDir,
    gallery: std::path::PathBuf,
    cache: std::path::PathBuf,
}

fn place() -> &'static Place {
    static PLACE: OnceLock<Place> = OnceLock::new();
    PLACE.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let gallery = root.path().join("gallery");
        let cache = root.path().join("cache");
        std::fs::create_dir_all(&gallery).unwrap();
        std::fs::create_dir_all(&cache).unwrap();
        // An image a sidecar may name.
        std::fs::write(gallery.join("a.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        Place {
            _root: root,
            gallery,
            cache,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let place = place();
    // Two bytes of length, then the sidecar, then the index file.
    let Some((len, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let split = (u16::from_le_bytes(*len) as usize).min(rest.len());
    let (sidecar, index_text) = rest.split_at(split);
    if let Ok(parsed) = serde_json::from_slice::<Sidecar>(sidecar) {
        let again = serde_json::to_vec(&parsed).unwrap();
        let back: Sidecar = serde_json::from_slice(&again).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), serde_json::to_value(&parsed).unwrap());
    }
    std::fs::write(place.gallery.join("a.json"), sidecar).unwrap();
    let orphan = with_text_chunks(
        &shortest_png(),
        &[(SIDECAR_KEYWORD, &String::from_utf8_lossy(sidecar))],
    );
    let _ = std::fs::remove_file(place.gallery.join("b.json"));
    std::fs::write(place.gallery.join("b.png"), orphan).unwrap();
    let index = GalleryIndex::new(&place.cache, &place.gallery);
    // `@DIR@` stands for the folder, so a seed's index header can match it.
    let index_text = String::from_utf8_lossy(index_text)
        .replace("@DIR@", &place.gallery.to_string_lossy());
    std::fs::write(index.path(), index_text).unwrap();
    let gallery = Gallery::at(&place.gallery).unwrap();
    let loaded = gallery
        .load_indexed(&index, 5, |_, _| {})
        .expect("a readable folder always loads");
    for image in &loaded.images {
        assert_eq!(image.path.parent(), Some(place.gallery.as_path()), "{:?}", image.path);
    }
    let plain = gallery.load().expect("a readable folder always loads");
    assert_eq!(plain.len(), loaded.images.len());
    if let Ok(written) = std::fs::read(place.gallery.join("b.json")) {
        let back: Sidecar = serde_json::from_slice(&written).expect("an adopted sidecar parses");
        assert_eq!(back.image, "b.png");
    }
});

/// A PNG signature and its end: enough to carry text chunks.
fn shortest_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0, 0, 0, 0]);
    png.extend_from_slice(b"IEND");
    png.extend_from_slice(&[0xAE, 0x42, 0x60, 0x82]);
    png
}
