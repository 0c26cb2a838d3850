//! The API client and the request checks: every endpoint against the
//! in-process fake server on loopback, faults and lying servers, the
//! per-model checks, and the two contracts (Prism serving OpenAI's spec,
//! the official Python SDK). One binary, so the crate is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod batches;
mod contract_prism;
mod contract_sdk;
mod download_faults;
mod endpoints;
mod hostile_server;
mod new_formats;
mod slow_headers;
mod status_faults;
mod stream_faults;
mod transport_faults;
mod validate;
mod validate_formats;
