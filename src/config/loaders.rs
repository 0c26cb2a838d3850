//! Every file read at start-up, one loader each: each returns what it
//! loaded and the warnings to show, and a file with a mistake in it is
//! named and left alone, the defaults standing in, so a typo never locks
//! the user out.

use super::failure::Failure;
use crate::api::Catalog;
use crate::keymap::Keymap;
use crate::store::settings::Settings;
use crate::store::{Dirs, StoreError};

/// config.toml.
pub fn settings(dirs: &Dirs) -> (Settings, Vec<String>) {
    match Settings::load(&dirs.settings()) {
        Ok(settings) => (settings, Vec::new()),
        Err(e) => (
            Settings::default(),
            vec![format!("{e}; using the defaults")],
        ),
    }
}

/// models.toml over the built-in model table. A file that cannot be read
/// (other than a missing one) stops start-up: it is the user's to fix.
pub fn catalog(dirs: &Dirs) -> Result<(Catalog, Vec<String>), Failure> {
    let path = dirs.models();
    match crate::store::local_file::read_own_text(&path) {
        Ok(text) => Ok(
            match Catalog::with_overrides(&text, &path.display().to_string()) {
                Ok(catalog) => (catalog, Vec::new()),
                Err(e) => (
                    Catalog::builtin(),
                    vec![format!(
                        "{} was not used; the built-in model table applies",
                        crate::util::inert::inert(&e.to_string(), 300)
                    )],
                ),
            },
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Catalog::builtin(), Vec::new())),
        Err(e) => Err(StoreError::io("read", path)(e).into()),
    }
}

/// keys.toml over the default key table.
pub fn keymap(dirs: &Dirs) -> (Keymap, Vec<String>) {
    match crate::store::local_file::read_own_text(&dirs.keys()) {
        Ok(text) => Keymap::with_overrides(&text),
        Err(_) => (Keymap::default(), Vec::new()),
    }
}
