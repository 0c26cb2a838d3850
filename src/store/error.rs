use std::path::PathBuf;

/// A failure reading or writing artty's files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not {action} {}: {source}{}", path.display(), hint(source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {detail}", path.display())]
    Invalid { path: PathBuf, detail: String },
    #[error("no home folder found: set ARTTY_CONFIG_DIR, ARTTY_DATA_DIR and ARTTY_CACHE_DIR")]
    NoHome,
}

impl StoreError {
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io {
            action,
            path,
            source,
        }
    }
}

/// What to do about the failures a user can fix.
fn hint(err: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            " (the disk is full: free some space, or choose another folder with --out or gallery_dir)"
        }
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            " (no permission to write there: choose another folder with --out or gallery_dir)"
        }
        _ => "",
    }
}
