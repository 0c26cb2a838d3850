//! artty: make images with OpenAI's image API from the terminal.
//!
//! Module map (see docs/architecture.md):
//! - [`api`]: the images API client, model table, validation and errors; no files, no terminal.
//! - [`store`]: the only code that touches disk: settings, the key file, the gallery.
//! - [`images`]: image bytes: format detection, synthetic images.
//! - [`fake`]: an OpenAI-compatible images server on loopback, for tests and `--demo`.
//! - [`cli`]: the headless commands over `api` and `store`.
//! - [`util`]: small helpers any module may use: making untrusted text
//!   safe to print, stable hashes, TOML errors, the log file, start-up timing.
//!
//! The interactive app, data flowing one way:
//! terminal [`event`] → [`keymap`] → [`action`] → [`update`] (changes the
//! [`model`], returns [`effect`]s) → the effect runner spawns work → result
//! actions → `update` → [`ui`] draws the model. [`app`] runs the loop,
//! [`terminal`] sets up and restores the terminal.
#![forbid(unsafe_code)]

pub mod action;
pub mod api;
pub mod app;
pub mod batch;
pub mod batch_api;
pub mod cli;
pub mod config;
pub mod edit;
pub mod effect;
pub mod event;
pub mod fake;
pub mod images;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod store;
pub mod terminal;
pub mod ui;
pub mod update;
pub mod util;
