//! The real `artty` binary as a script runs it: demo mode, exit codes,
//! nothing sent or saved on refusal, the key commands, and hostile
//! answers kept off stdout. One binary, so the crate is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod azure;
mod batch_api;
mod certificates;
mod commands;
mod cost;
mod unix_ways;
mod untrusted;
