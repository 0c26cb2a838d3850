//! The gallery's schema: what a sidecar file says about its image, what a
//! request records for the sidecars of its images, and a saved image's
//! paths. Saving is `gallery.rs`, listing is `scan.rs`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::local_file::{self, Named};
use crate::api::catalog::Endpoint;
use crate::api::cost::{Cost, Prices};
use crate::api::request::ImageParams;
use crate::api::response::ResponseMeta;
use crate::edit::FitOptions;
use crate::images::probe::{ImageFormat, ImageInfo};

pub const SIDECAR_VERSION: u32 = 1;

/// An input file of an edit or variation, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub path: String,
    pub format: String,
    pub width: u32,
    pub height: u32,
}

/// Everything known about one saved image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    pub version: u32,
    /// The file name of the image, in the same folder.
    pub image: String,
    pub created: jiff::Timestamp,
    pub endpoint: Endpoint,
    pub model: String,
    pub prompt: Option<String>,
    pub revised_prompt: Option<String>,
    /// Exactly the parameters that were sent.
    pub params: ImageParams,
    /// What the server said about the result (size, quality, usage…).
    pub response: ResponseMeta,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// This image's place among the request's images (0-based) and their count.
    pub index: usize,
    pub count: usize,
    pub request_id: Option<String>,
    /// The server, without credentials or query.
    pub server: String,
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// The mask as painted over the first source, saved beside the image.
    #[serde(default)]
    pub mask: Option<SourceRef>,
    /// The markup laid over the first source, saved beside the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<SourceRef>,
    /// An animated image's frames and the time of each, as read from the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animation: Option<crate::images::probe::Animation>,
    /// How the sources were fitted to the model, so an edit can be repeated.
    #[serde(default)]
    pub fit: Option<FitOptions>,
    /// Marked as a favourite.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    /// The image whose prompt and parameters were reused to make this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reused_from: Option<String>,
    /// The sweep or batch this image was made in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// Made by OpenAI's Batch API: which batch and which of its requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_api: Option<BatchApiRef>,
    /// What this image cost, as priced when it was made; missing when the
    /// price was not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
}

/// What kind of run made a group of images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    Sweep,
    Batch,
}

/// Images made together: the cells of a sweep or the lines of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub kind: GroupKind,
    pub id: String,
    /// A sweep's cell or a batch line: which one this image is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// The Batch API request an image answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchApiRef {
    /// The API's batch id (`batch_…`).
    pub batch_id: String,
    /// The request's id within the batch's input file.
    pub custom_id: String,
    /// The line of the batch file it came from (1-based).
    pub line: usize,
}

impl Sidecar {
    /// A sidecar for one image of a request with one image: what every
    /// sidecar must say. Anything else (its place among several, the
    /// server's answer, sources, group, cost) is set on the result.
    pub fn new(
        image: impl Into<String>,
        created: jiff::Timestamp,
        endpoint: Endpoint,
        params: ImageParams,
        server: impl Into<String>,
        file: &ImageInfo,
        bytes: u64,
    ) -> Sidecar {
        Sidecar {
            version: SIDECAR_VERSION,
            image: image.into(),
            created,
            endpoint,
            model: params.model.clone(),
            prompt: params.prompt.clone(),
            revised_prompt: None,
            params,
            response: ResponseMeta::default(),
            format: file.format,
            width: file.width,
            height: file.height,
            bytes,
            index: 0,
            count: 1,
            request_id: None,
            server: server.into(),
            sources: Vec::new(),
            mask: None,
            markup: None,
            animation: file.animation,
            fit: None,
            favourite: false,
            reused_from: None,
            group: None,
            batch_api: None,
            cost: None,
        }
    }

    /// Made from other images (an edit or a variation).
    pub fn has_parents(&self) -> bool {
        !self.sources.is_empty()
    }
}

/// What the request was, for the sidecars of its images.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub endpoint: Endpoint,
    pub params: ImageParams,
    pub server: String,
    pub sources: Vec<SourceRef>,
    pub mask: Option<SourceRef>,
    /// A mask painted in the app: saved as `<name>-mask.png` with the
    /// images, and recorded as their `mask`.
    pub mask_png: Option<bytes::Bytes>,
    pub markup: Option<SourceRef>,
    /// Markup drawn in the app: saved as `<name>-markup.png`.
    pub markup_png: Option<bytes::Bytes>,
    pub fit: Option<FitOptions>,
    pub reused_from: Option<String>,
    pub group: Option<Group>,
    pub batch_api: Option<BatchApiRef>,
    /// The model's prices when the request was sent, to cost the result.
    pub prices: Option<Prices>,
}

impl RequestRecord {
    /// A request with no input images, origin or group.
    pub fn new(
        endpoint: Endpoint,
        params: ImageParams,
        server: impl Into<String>,
        prices: Option<Prices>,
    ) -> RequestRecord {
        RequestRecord {
            endpoint,
            params,
            server: server.into(),
            sources: Vec::new(),
            mask: None,
            mask_png: None,
            markup: None,
            markup_png: None,
            fit: None,
            reused_from: None,
            group: None,
            batch_api: None,
            prices,
        }
    }
}

/// One saved image and where its files are.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedImage {
    pub path: PathBuf,
    pub sidecar_path: PathBuf,
    pub sidecar: Sidecar,
}

/// A sidecar file, read within the size a sidecar may have; `None` when it
/// cannot be read or does not parse.
pub(super) fn read_sidecar(path: &Path) -> Option<Sidecar> {
    let bytes = local_file::read(path, local_file::limit::SIDECAR, Named::ByArtty).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The image's file name in the folder; a sidecar naming a path elsewhere
/// is only ever read within the folder.
pub(super) fn image_name(sidecar: &Sidecar) -> Option<&str> {
    Path::new(&sidecar.image).file_name()?.to_str()
}
