//! Paths as the user types them, resolved without touching the disk: the
//! home folder and the working folder are read once at start-up and
//! passed in, so `update` can resolve a typed path and stay pure.

use std::path::{Path, PathBuf};

/// What a typed path means when a new one was typed over a prefilled
/// folder, as in Emacs' minibuffer: everything before a `//` is dropped,
/// so `gallery//home/me/a.png` is `/home/me/a.png`. (A `~` inside a path
/// stays a folder's name: one can be called that.)
pub fn shadowed(text: &str) -> &str {
    match text.rfind("//") {
        Some(at) => &text[at + 1..],
        None => text,
    }
}

/// `~/x` (and `~`) with the home folder in place of `~`.
pub fn expand_home(text: &str, home: Option<&Path>) -> PathBuf {
    let text = shadowed(text);
    match (text.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        (None, Some(home)) if text == "~" => home.to_path_buf(),
        _ => PathBuf::from(text),
    }
}

/// A typed path made absolute against `working_dir`, `~` expanded, `.`
/// components dropped (as `std::path::absolute` does, which would read the
/// working folder itself).
pub fn absolute(text: &str, home: Option<&Path>, working_dir: &Path) -> PathBuf {
    let path = expand_home(text, home);
    let joined = if path.is_absolute() {
        path
    } else {
        working_dir.join(path)
    };
    std::path::absolute(&joined).unwrap_or(joined)
}

/// The longest text every completion starts with.
pub fn common_prefix(completions: &[String]) -> Option<String> {
    let first = completions.first()?;
    let mut len = first.len();
    for other in &completions[1..] {
        len = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    Some(first[..len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_path_typed_over_a_prefilled_folder_wins() {
        let home = Path::new("/home/me");
        let cwd = Path::new("/work");
        let typed = |t| absolute(t, Some(home), cwd);
        assert_eq!(typed("/g/gallery//tmp/a.png"), PathBuf::from("/tmp/a.png"));
        assert_eq!(typed("~//tmp//a.png"), PathBuf::from("/a.png"));
        assert_eq!(typed("/g/gallery/a.png"), PathBuf::from("/g/gallery/a.png"));
    }

    #[test]
    fn home_is_expanded_only_at_the_start() {
        let home = Path::new("/home/ann");
        assert_eq!(expand_home("~/a.png", Some(home)), home.join("a.png"));
        assert_eq!(expand_home("~", Some(home)), home);
        assert_eq!(expand_home("a/~/b", Some(home)), PathBuf::from("a/~/b"));
        assert_eq!(expand_home("~/a.png", None), PathBuf::from("~/a.png"));
    }

    #[test]
    fn relative_paths_join_the_working_folder() {
        let work = Path::new("/work/here");
        assert_eq!(absolute("./x/a.png", None, work), work.join("x/a.png"));
        assert_eq!(
            absolute("/abs/a.png", None, work),
            PathBuf::from("/abs/a.png")
        );
        assert_eq!(
            absolute("~/a.png", Some(Path::new("/h")), work),
            PathBuf::from("/h/a.png")
        );
    }
}
