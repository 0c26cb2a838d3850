//! The interactive app without a terminal: key sequences through the
//! keymap and `update`, views drawn on ratatui's TestBackend and compared
//! with insta snapshots (`tests/app/snapshots/`), the effect runner against
//! the fake server, hostile text in every view, and the image protocols'
//! bytes. One binary, so the crate is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_common;
#[path = "../common/mod.rs"]
mod common;

mod batch_worker;
mod batches;
mod edit;
mod edit_worker;
mod first_session;
mod flows;
mod hostile_text;
mod image_protocols;
mod images;
mod iterate;
mod markup;
mod params;
mod rebound;
mod store_app;
mod views;
mod worker;
