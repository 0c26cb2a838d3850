//! Programs some tests drive (tmux, Xvfb, Prism's Node, fish, man). A
//! contributor's plain `cargo test` without them skips those tests with
//! one line saying what to install; CI, which installs them all
//! (scripts/test), fails instead, so a missing tool never passes unseen.

use std::path::Path;

/// Whether the program `name` is on PATH. When it is not: `false` and a
/// line on stderr if `CI` is unset, a panic if it is set.
pub fn tool(name: &str) -> bool {
    if on_path(name) {
        return true;
    }
    missing(name, &format!("`{name}` is not installed"));
    false
}

/// Whether the file `path` (a tool installed into the tree, such as
/// Prism under tests/contract/node_modules) exists, with [`tool`]'s rule.
pub fn installed(path: &Path, install: &str) -> bool {
    if path.exists() {
        return true;
    }
    missing(
        &path.display().to_string(),
        &format!("{} is missing ({install})", path.display()),
    );
    false
}

fn missing(name: &str, why: &str) {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(
        !ci,
        "{why}: CI must install it (scripts/test does, as root with apt-get)"
    );
    eprintln!("skipped: {why}; `bash scripts/test` installs it ({name})");
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let candidate = dir.join(name);
            candidate.metadata().is_ok_and(|m| {
                m.is_file()
                    && std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 != 0
            })
        })
    })
}
