//! artty: make images with OpenAI's image API from the terminal.
//!
//! Module map (see docs/architecture.md):
//! - [`api`]: the images API client, model table, validation and errors; no files, no terminal.
//! - [`store`]: the only code that touches disk: settings, the key file, the gallery.
//! - [`images`]: image bytes: format detection, synthetic images.
//! - [`fake`]: an OpenAI-compatible images server on loopback, for tests and `--demo`.
//! - [`cli`]: the headless commands over `api` and `store`.
//! - [`inert`]: making untrusted text safe to print.
#![forbid(unsafe_code)]

pub mod api;
pub mod cli;
pub mod fake;
pub mod images;
pub mod inert;
pub mod store;
