//! What a finished request gives back, and the progress reported on the way.

use bytes::Bytes;

use super::error::ApiError;
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

impl Generation {
    /// What is left when `err` broke off a request after these images had
    /// fully arrived: the images, with a warning naming the error and how
    /// many of the `expected` came. With no image, just the error. Paid-for
    /// images are never thrown away for what went wrong after them.
    pub fn kept_after(mut self, err: ApiError, expected: usize) -> Result<Generation, ApiError> {
        if self.images.is_empty() {
            return Err(err);
        }
        let arrived = self.images.len();
        tracing::warn!("the request broke off after {arrived} image(s), which are kept: {err}");
        self.warning = Some(format!(
            "The answer broke off after {arrived} of {expected} image(s) had fully arrived; those are kept. {err}"
        ));
        Ok(self)
    }
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
