//! Completing a typed path: the folder listing behind Tab.

use std::path::{Path, PathBuf};

/// Completions listed at most.
const COMPLETIONS_MAX: usize = 200;
/// Files that can be an edit's input (others are converted, if readable).
const IMAGE_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "avif"];

/// Folders and image files (or any file) whose names start as typed.
pub fn completions(text: &str, any_file: bool, home: Option<&Path>) -> Vec<String> {
    let (dir_part, prefix) = match text.rfind('/') {
        Some(at) => (&text[..=at], &text[at + 1..]),
        None => ("", text),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        crate::util::paths::expand_home(dir_part, home)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = entry.path().is_dir();
            let is_image = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            match (is_dir, is_image || any_file) {
                (true, _) => Some(format!("{dir_part}{name}/")),
                (false, true) => Some(format!("{dir_part}{name}")),
                _ => None,
            }
        })
        .collect();
    out.sort();
    out.truncate(COMPLETIONS_MAX);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_lists_folders_and_images_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("photos")).unwrap();
        for name in ["fox.png", "fox.txt", "fog.JPG", ".hidden.png"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let base = format!("{}/", dir.path().display());
        assert_eq!(
            completions(&format!("{base}fo"), false, None),
            vec![format!("{base}fog.JPG"), format!("{base}fox.png")]
        );
        assert_eq!(
            completions(&format!("{base}ph"), false, None),
            vec![format!("{base}photos/")]
        );
        assert!(completions("/no/such/dir/x", false, None).is_empty());
        assert_eq!(
            crate::util::paths::common_prefix(&[
                format!("{base}fog.JPG"),
                format!("{base}fox.png")
            ]),
            Some(format!("{base}fo"))
        );
    }
}
