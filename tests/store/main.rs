//! What artty keeps on disk: the gallery, sidecars and crash leftovers, the
//! index, files that are not what they seem, and broken or unreadable
//! local configuration. One binary, so the crate is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod files;
mod index;
mod local_input;
mod untrusted;
