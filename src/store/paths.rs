//! Where artty keeps its files: the platform's folders from `directories`,
//! or `ARTTY_CONFIG_DIR` / `ARTTY_DATA_DIR` / `ARTTY_CACHE_DIR` when set
//! (tests use these).

use std::path::PathBuf;

use super::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
    /// Thumbnails: safe to delete, rebuilt on demand.
    pub cache: PathBuf,
}

impl Dirs {
    pub fn from_env() -> Result<Dirs, StoreError> {
        let project = directories::ProjectDirs::from("", "", "artty");
        let pick = |var: &str, fallback: Option<PathBuf>| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or(fallback)
                .ok_or(StoreError::NoHome)
        };
        Ok(Dirs {
            config: pick(
                "ARTTY_CONFIG_DIR",
                project.as_ref().map(|p| p.config_dir().to_path_buf()),
            )?,
            data: pick(
                "ARTTY_DATA_DIR",
                project.as_ref().map(|p| p.data_dir().to_path_buf()),
            )?,
            cache: pick(
                "ARTTY_CACHE_DIR",
                project.as_ref().map(|p| p.cache_dir().to_path_buf()),
            )?,
        })
    }

    /// Thumbnails keyed by image and box size.
    pub fn thumbnails(&self) -> PathBuf {
        self.cache.join("thumbnails")
    }

    pub fn gallery(&self) -> PathBuf {
        self.data.join("gallery")
    }

    pub fn credentials(&self) -> PathBuf {
        self.config.join("credentials")
    }

    pub fn settings(&self) -> PathBuf {
        self.config.join("config.toml")
    }

    pub fn models(&self) -> PathBuf {
        self.config.join("models.toml")
    }

    pub fn keys(&self) -> PathBuf {
        self.config.join("keys.toml")
    }

    /// One file per request in flight; what is left at start-up was interrupted.
    pub fn journal(&self) -> PathBuf {
        self.data.join("journal")
    }

    /// Batches submitted to the Batch API, and their downloaded results.
    pub fn batches(&self) -> PathBuf {
        self.data.join("batches")
    }

    /// One lock file per batch, held while it runs.
    pub fn locks(&self) -> PathBuf {
        self.data.join("locks")
    }

    /// Deleted gallery entries, kept so a delete can be undone.
    pub fn trash(&self) -> PathBuf {
        self.data.join("trash")
    }

    /// What the app remembers between sessions: prompt history, parameters per model.
    pub fn app_state(&self) -> PathBuf {
        self.data.join("state.json")
    }
}
