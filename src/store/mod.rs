//! The only code that touches disk: where things live, settings, the key
//! file and the gallery of saved images.

pub mod adopt;
pub mod app_state;
pub mod atomic;
pub mod batch_journal;
pub mod batch_lock;
pub mod completions;
pub mod error;
pub mod export;
pub mod gallery;
pub mod index;
pub mod journal;
pub mod jsonl;
pub mod local_file;
pub mod paths;
pub mod png_text;
pub mod rescue;
pub mod scan;
pub mod seal;
pub mod secrets;
pub mod settings;
pub mod sidecar;
pub mod thumbnail_cache;
pub mod trash;

pub use error::StoreError;
pub use paths::Dirs;
