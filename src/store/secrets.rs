//! The API key: `OPENAI_API_KEY` first, then the credentials file, which is
//! created 0600 from its first byte and refused when others can read it.

use std::fs;
use std::path::{Path, PathBuf};

use super::local_file;
use super::{Dirs, StoreError, atomic};
use crate::api::key::ApiKey;

/// Where the active key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Env,
    /// An Azure OpenAI variable: AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN.
    AzureEnv(&'static str),
    File(PathBuf),
    /// Given for this session only (the interactive app).
    Session,
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Env => write!(f, "the OPENAI_API_KEY environment variable"),
            KeySource::AzureEnv(name) => write!(f, "the {name} environment variable"),
            KeySource::File(path) => write!(f, "{}", path.display()),
            KeySource::Session => write!(f, "this session only"),
        }
    }
}

/// The result of looking for a key, with anything the user should hear.
#[derive(Debug, Clone, Default)]
pub struct KeyLookup {
    pub found: Option<(ApiKey, KeySource)>,
    pub warnings: Vec<String>,
}

/// Finds the key: the environment wins over the file.
pub fn find_key(dirs: &Dirs) -> KeyLookup {
    find_key_with(dirs, std::env::var("OPENAI_API_KEY").ok().as_deref())
}

/// [`find_key`] with the environment variable's value given.
pub fn find_key_with(dirs: &Dirs, env_value: Option<&str>) -> KeyLookup {
    let mut lookup = KeyLookup::default();
    if let Some(key) = env_value.and_then(ApiKey::new) {
        lookup.found = Some((key, KeySource::Env));
        return lookup;
    }
    let path = dirs.credentials();
    match read_key_file(&path) {
        Ok(Some(key)) => lookup.found = Some((key, KeySource::File(path))),
        Ok(None) => {}
        Err(warning) => lookup.warnings.push(warning),
    }
    lookup
}

/// Reads the key file; a warning (never the key) when it is unsafe or broken.
fn read_key_file(path: &Path) -> Result<Option<ApiKey>, String> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("could not read {}: {e}", path.display())),
    };
    if meta.is_dir() {
        return Err(format!(
            "{} is a folder, not a key file; it was not used. Remove it, then run: artty auth set",
            path.display()
        ));
    }
    if meta.file_type().is_symlink() {
        return Err(format!(
            "{} is a symbolic link; it was not used. Replace it with a plain file (artty auth set).",
            path.display()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} can be read by other users (mode {mode:o}); it was not used. Run: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
    let text = local_file::read_own_text(path)
        .map_err(|e| format!("could not read {}: {e}", path.display()))?;
    ApiKey::new(&text)
        .map(Some)
        .ok_or_else(|| format!("{} does not hold a key", path.display()))
}

/// Saves the key to the credentials file, 0600 from the start.
pub fn save_key(dirs: &Dirs, key: &ApiKey) -> Result<PathBuf, StoreError> {
    let path = dirs.credentials();
    atomic::replace(&path, format!("{}\n", key.expose()).as_bytes())?;
    Ok(path)
}

/// Removes the credentials file; true when there was one.
pub fn clear_key(dirs: &Dirs) -> Result<bool, StoreError> {
    let path = dirs.credentials();
    match fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io("remove", path)(e)),
    }
}
