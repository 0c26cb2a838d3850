//! What a finished request gives back, and the progress reported on the way.

use bytes::Bytes;

use super::response::ResponseMeta;
use crate::images::probe::ImageInfo;

/// One image received and checked to be an image.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedImage {
    pub bytes: Bytes,
    pub info: ImageInfo,
    pub revised_prompt: Option<String>,
}

/// All images of one request, with what the server said about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    pub images: Vec<GeneratedImage>,
    pub meta: ResponseMeta,
    pub request_id: Option<String>,
    /// Something went wrong after these images had fully arrived (a stream
    /// that broke off after its `completed` event): they are kept, and this
    /// says what was lost.
    pub warning: Option<String>,
}

/// Stages of a request, reported as they happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Sending {
        attempt: u32,
    },
    Retrying {
        attempt: u32,
        wait: std::time::Duration,
        reason: String,
    },
    Receiving,
    Partial {
        index: u32,
        image: Bytes,
    },
    Downloading {
        index: usize,
        of: usize,
    },
}
