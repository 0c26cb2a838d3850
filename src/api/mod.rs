//! The OpenAI images API: the model table, request checks, the HTTP client
//! with its retries and streaming, and the error kinds. Nothing here knows
//! about files or the terminal.

pub mod batch_wire;
pub mod batches;
pub mod body;
pub mod catalog;
pub mod classify;
pub mod client;
pub mod config;
pub mod cost;
pub mod decode;
pub mod download;
pub mod error;
pub mod key;
pub mod lazy_http;
pub mod prices;
pub mod request;
pub mod response;
pub mod result;
pub mod retry;
pub mod sse;
pub mod stream;
pub mod untrusted;
pub mod validate;

pub use catalog::{Catalog, Endpoint, Lifecycle, ModelSpec};
pub use client::ImagesClient;
pub use config::ClientConfig;
pub use error::ApiError;
pub use key::ApiKey;
pub use request::{ImageParams, ImageRequest, InputImage};
pub use result::{GeneratedImage, Generation, Progress};
pub use validate::{Target, ValidRequest, ValidationError, validate};
