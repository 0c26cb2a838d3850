//! The gallery and the key file on disk.

use crate::common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};

use artty::api::{ApiKey, Endpoint, GeneratedImage, Generation, ImageParams};
use artty::images::probe::{ImageFormat, probe};
use artty::store::Dirs;
use artty::store::gallery::Gallery;
use artty::store::png_text::read_text_chunks;
use artty::store::secrets::{KeySource, clear_key, find_key_with, save_key};
use artty::store::settings::Settings;
use artty::store::sidecar::{RequestRecord, Sidecar};
use common::*;

fn generation(formats: &[ImageFormat]) -> Generation {
    let images = formats
        .iter()
        .map(|f| {
            let bytes = image_bytes(24, 16, *f, false);
            GeneratedImage {
                info: probe(&bytes).unwrap(),
                bytes,
                revised_prompt: Some("revised".into()),
            }
        })
        .collect();
    Generation {
        images,
        meta: Default::default(),
        request_id: Some("req_1".into()),
        warning: None,
    }
}

fn record(prompt: &str) -> RequestRecord {
    let mut params = ImageParams::new("gpt-image-2");
    params.prompt = Some(prompt.into());
    params.quality = Some("high".into());
    RequestRecord::new(Endpoint::Generations, params, "http://127.0.0.1:1/v1", None)
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn images_are_saved_with_sidecars_and_png_text() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    let saved = gallery
        .save(
            &generation(&[ImageFormat::Png, ImageFormat::Webp]),
            &record("A red fox, in snow!"),
        )
        .unwrap();
    assert_eq!(saved.len(), 2);
    assert!(
        saved[0]
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains("-a-red-fox-in-snow-")
    );
    assert!(
        saved[0].path.extension().unwrap() == "png" && saved[1].path.extension().unwrap() == "webp"
    );
    assert!(
        saved[0]
            .path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .ends_with("-1")
    );
    let sidecar: Sidecar =
        serde_json::from_slice(&fs::read(&saved[1].sidecar_path).unwrap()).unwrap();
    assert_eq!(sidecar, saved[1].sidecar);
    assert_eq!(
        (sidecar.index, sidecar.count, sidecar.width, sidecar.height),
        (1, 2, 24, 16)
    );
    assert_eq!(sidecar.params.quality.as_deref(), Some("high"));
    assert_eq!(sidecar.revised_prompt.as_deref(), Some("revised"));
    assert_eq!(sidecar.request_id.as_deref(), Some("req_1"));
    let chunks = read_text_chunks(&fs::read(&saved[0].path).unwrap());
    assert!(
        chunks.contains(&("prompt".to_string(), "A red fox, in snow!".to_string())),
        "{chunks:?}"
    );
    let names = names(dir.path());
    assert_eq!(names.len(), 5, "{names:?}");
    assert_eq!(
        names[0], ".artty-seal",
        "two images, two sidecars, the gallery's sealing key, no temp files"
    );
}

#[test]
fn unknown_formats_keep_a_safe_extension() {
    let dir = tempfile::tempdir().unwrap();
    let avif = bytes::Bytes::from_static(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1");
    let image = GeneratedImage {
        info: probe(&avif).unwrap(),
        bytes: avif,
        revised_prompt: None,
    };
    let generation = Generation {
        images: vec![image],
        meta: Default::default(),
        request_id: None,
        warning: None,
    };
    let saved = Gallery::open(dir.path())
        .unwrap()
        .save(&generation, &record("../../etc/passwd"))
        .unwrap();
    let name = saved[0]
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.ends_with(".avif") && name.contains("-etc-passwd-") && !name.contains('/'),
        "{name}"
    );
    assert_eq!(saved[0].path.parent().unwrap(), dir.path());
}

#[test]
fn case44_leftovers_are_removed_and_only_complete_entries_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let saved = Gallery::open(dir.path())
        .unwrap()
        .save(&generation(&[ImageFormat::Png]), &record("kept"))
        .unwrap();
    // What a kill mid-save can leave: a temp file, an image without sidecar, a torn sidecar.
    fs::write(dir.path().join(".artty-tmp-abc123"), b"half an ima").unwrap();
    fs::write(
        dir.path().join("20261121-000000-orphan-x.png"),
        image_bytes(4, 4, ImageFormat::Png, false),
    )
    .unwrap();
    fs::write(
        dir.path().join("20261121-000000-torn-y.json"),
        b"{\"version\": 1, \"image\": \"20261121",
    )
    .unwrap();
    fs::write(
        dir.path().join("20261121-000001-missing-z.json"),
        pointing_at_missing_image(&saved[0].sidecar_path),
    )
    .unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    assert!(
        !names(dir.path())
            .iter()
            .any(|n| n.starts_with(".artty-tmp-"))
    );
    let listed = gallery.load().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].path, saved[0].path);
}

/// A kill between an image and its sidecar: the next load writes the
/// sidecar back from the copy inside the PNG, so the paid-for image is
/// listed with everything it had. A PNG artty did not make is left alone.
#[test]
fn an_image_a_kill_left_without_its_sidecar_is_listed_again_from_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    let saved = gallery
        .save(
            &generation(&[ImageFormat::Png, ImageFormat::Png]),
            &record("a fox the kill spared"),
        )
        .unwrap();
    fs::remove_file(&saved[1].sidecar_path).unwrap();
    let foreign = dir.path().join("holiday.png");
    fs::write(&foreign, image_bytes(4, 4, ImageFormat::Png, false)).unwrap();

    let listed = gallery.load().unwrap();
    assert_eq!(listed.len(), 2, "both images of the request");
    let adopted = listed.iter().find(|i| i.path == saved[1].path).unwrap();
    assert_eq!(adopted.sidecar, saved[1].sidecar);
    assert_eq!(adopted.sidecar_path, saved[1].sidecar_path);
    let on_disk: Sidecar =
        serde_json::from_slice(&fs::read(&saved[1].sidecar_path).unwrap()).unwrap();
    assert_eq!(on_disk, saved[1].sidecar, "the sidecar file is back");
    assert!(
        !dir.path().join("holiday.json").exists(),
        "a PNG without artty's sidecar inside gets none"
    );
    assert_eq!(
        gallery.load().unwrap().len(),
        2,
        "adopted once, listed once"
    );
}

/// A copy of a sidecar whose image does not exist.
fn pointing_at_missing_image(sidecar_path: &std::path::Path) -> Vec<u8> {
    let mut sidecar: serde_json::Value =
        serde_json::from_slice(&fs::read(sidecar_path).unwrap()).unwrap();
    sidecar["image"] = "gone.png".into();
    serde_json::to_vec(&sidecar).unwrap()
}

#[test]
fn load_lists_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = Gallery::open(dir.path()).unwrap();
    gallery
        .save(&generation(&[ImageFormat::Png]), &record("first"))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    gallery
        .save(&generation(&[ImageFormat::Png]), &record("second"))
        .unwrap();
    let prompts: Vec<String> = gallery
        .load()
        .unwrap()
        .into_iter()
        .filter_map(|s| s.sidecar.prompt)
        .collect();
    assert_eq!(prompts, ["second", "first"]);
}

fn dirs() -> (tempfile::TempDir, Dirs) {
    let root = tempfile::tempdir().unwrap();
    let dirs = Dirs {
        config: root.path().join("config"),
        data: root.path().join("data"),
        cache: root.path().join("cache"),
    };
    (root, dirs)
}

#[test]
fn case41_key_file_is_0600_and_unsafe_files_are_refused() {
    let (_root, dirs) = dirs();
    let key = ApiKey::new(KEY).unwrap();
    let path = save_key(&dirs, &key).unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        fs::metadata(&dirs.config).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let found = find_key_with(&dirs, None).found.unwrap();
    assert_eq!(found, (key.clone(), KeySource::File(path.clone())));

    let from_env = find_key_with(&dirs, Some("sk-from-env-000000000000"))
        .found
        .unwrap();
    assert_eq!(
        from_env.1,
        KeySource::Env,
        "the environment wins over the file"
    );

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let lookup = find_key_with(&dirs, None);
    assert!(lookup.found.is_none());
    assert!(
        lookup.warnings[0].contains("chmod 600"),
        "{:?}",
        lookup.warnings
    );
    assert!(!lookup.warnings[0].contains(KEY));

    fs::remove_file(&path).unwrap();
    let elsewhere = dirs.config.join("real-key");
    fs::write(&elsewhere, KEY).unwrap();
    fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&elsewhere, &path).unwrap();
    let lookup = find_key_with(&dirs, None);
    assert!(
        lookup.found.is_none() && lookup.warnings[0].contains("symbolic link"),
        "{:?}",
        lookup.warnings
    );

    assert!(clear_key(&dirs).unwrap());
    assert!(!clear_key(&dirs).unwrap());
}

#[test]
fn saving_a_key_over_an_old_one_keeps_0600() {
    let (_root, dirs) = dirs();
    save_key(&dirs, &ApiKey::new("sk-old-000000000000").unwrap()).unwrap();
    let path = save_key(&dirs, &ApiKey::new(KEY).unwrap()).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap().trim(), KEY);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_broken_settings_file_names_its_line() {
    let (_root, dirs) = dirs();
    fs::create_dir_all(&dirs.config).unwrap();
    fs::write(
        dirs.settings(),
        "base_url = \"http://x\"\ntimeout_secs = oops\n",
    )
    .unwrap();
    let err = Settings::load(&dirs.settings()).unwrap_err().to_string();
    assert!(
        err.contains("config.toml") && err.contains("line 2"),
        "{err}"
    );
    assert_eq!(
        Settings::load(&dirs.config.join("missing.toml")).unwrap(),
        Settings::default()
    );
}
