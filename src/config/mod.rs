//! Start-up: the flags, every file loaded before the app or a command
//! runs (settings, model table, key table, the API key), and the context
//! they resolve to. The app and the commands both start here.

pub mod azure;
pub mod context;
pub mod failure;
pub mod flags;
pub mod loaders;

pub use context::Context;
pub use failure::{Exit, Failure};
pub use flags::GlobalArgs;
