//! What the app remembers between sessions: the prompt history and the last
//! parameters used with each model. Losing this file loses convenience,
//! never images, so a broken one is replaced rather than fatal.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::atomic::replace;
use crate::api::ImageParams;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppState {
    #[serde(default)]
    pub history: Vec<String>,
    #[serde(default)]
    pub last_model: Option<String>,
    /// Parameters (without prompt) last chosen for each model.
    #[serde(default)]
    pub params: BTreeMap<String, ImageParams>,
    /// The prompt as it was left at quit, given back at the next start.
    #[serde(default)]
    pub draft: String,
}

impl AppState {
    /// Reads the file; a missing or unreadable one is an empty state, with
    /// the reason when there was one.
    pub fn load(path: &Path) -> (AppState, Option<String>) {
        let read = super::local_file::read(
            path,
            super::local_file::limit::STATE,
            super::local_file::Named::ByArtty,
        );
        match read {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(state) => (state, None),
                Err(e) => {
                    // Kept aside, so the prompt history in it is not lost
                    // when the fresh state is saved over it.
                    let aside = path.with_extension("json.unreadable");
                    let kept = match std::fs::rename(path, &aside) {
                        Ok(()) => format!("kept as {}", aside.display()),
                        Err(_) => "left as it was".into(),
                    };
                    (
                        AppState::default(),
                        Some(format!(
                            "{} was unreadable ({e}) and starts over; the old file is {kept}",
                            path.display()
                        )),
                    )
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (AppState::default(), None),
            Err(e) => (
                AppState::default(),
                Some(format!("could not read {}: {e}", path.display())),
            ),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| StoreError::Invalid {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        replace(path, &json)
    }
}
