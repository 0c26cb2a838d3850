//! Small helpers with no place in the architecture's layers, usable from
//! any of them: none of them imports the rest of artty.

pub mod ansi256;
pub mod env;
pub mod inert;
pub mod log_writer;
pub mod paths;
pub mod stable_hash;
pub mod startuptime;
pub mod toml_text;
