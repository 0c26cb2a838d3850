//! `config.toml`: the settings that are not secret.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;

/// Settings from the config file. Every field is optional; flags and
/// environment variables win over them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub base_url: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub timeout_secs: Option<u64>,
    pub max_retries: Option<u32>,
    pub gallery_dir: Option<String>,
    pub model: Option<String>,
    /// How many requests the app runs at once (default 2).
    pub jobs: Option<usize>,
    /// How the app draws images: auto, kitty, sixel, iterm, blocks, none.
    pub graphics: Option<crate::images::graphics::GraphicsChoice>,
    /// `false`: animated GIFs show their first frame only.
    pub animate: Option<bool>,
}

impl Settings {
    /// Reads the file; a missing file is empty settings, a broken one an error naming the line.
    pub fn load(path: &Path) -> Result<Settings, StoreError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Settings::parse(&text).map_err(|detail| StoreError::Invalid {
                path: path.to_path_buf(),
                detail,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(StoreError::io("read", path)(e)),
        }
    }

    /// The file's text as settings, or what is wrong and on which line.
    pub fn parse(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| crate::toml_text::error_text(text, &e))
    }

    /// Writes the file atomically.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let text = toml::to_string(self).map_err(|e| StoreError::Invalid {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        super::atomic::replace(path, text.as_bytes())
    }
}
