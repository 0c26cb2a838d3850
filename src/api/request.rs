//! What a user asks for: an endpoint, the parameters and any input images.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::catalog::Endpoint;
use crate::images::probe::{ImageInfo, ProbeError, probe};

/// Every request parameter of the images API. `None` means "not sent": the
/// server's default applies, and parameters a model does not take stay `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageParams {
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_compression: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_fidelity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_images: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complexity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_count: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_duration_ms: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg: Option<SvgOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_identifier: Option<String>,
    /// Deprecated by the API in favour of `safety_identifier`, still accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Who writes an SVG (`svg.model`) and how hard it reasons. Each part is
/// sent only when set: whether `model` is required depends on the account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvgOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<SvgReasoning>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvgReasoning {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
}

impl SvgOptions {
    /// The options for an author model and an effort, `None` when neither is set.
    pub fn of(model: Option<String>, effort: Option<String>) -> Option<SvgOptions> {
        let reasoning = effort.map(|effort| SvgReasoning {
            effort: Some(effort),
        });
        (model.is_some() || reasoning.is_some()).then_some(SvgOptions { model, reasoning })
    }

    pub fn effort(&self) -> Option<&str> {
        self.reasoning.as_ref()?.effort.as_deref()
    }
}

impl ImageParams {
    pub fn new(model: impl Into<String>) -> ImageParams {
        ImageParams {
            model: model.into(),
            ..ImageParams::default()
        }
    }

    pub fn streaming(&self) -> bool {
        self.stream == Some(true)
    }

    pub fn format(&self) -> Option<&str> {
        self.output_format.as_deref()
    }

    /// The parameters as `(name, value)` text pairs, in a fixed order, for a
    /// form body. Objects are flattened the way the official SDKs do it:
    /// `svg[model]`, `svg[reasoning][effort]`.
    pub fn form_fields(&self) -> Vec<(String, String)> {
        let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) else {
            return Vec::new();
        };
        let mut fields = Vec::new();
        for (name, value) in map {
            flatten_field(name, value, &mut fields);
        }
        fields
    }
}

fn flatten_field(name: String, value: serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                flatten_field(format!("{name}[{key}]"), inner, out);
            }
        }
        serde_json::Value::String(s) => out.push((name, s)),
        other => out.push((name, other.to_string())),
    }
}

/// An input image (edit source, mask or variation source), already read.
#[derive(Debug, Clone, PartialEq)]
pub struct InputImage {
    /// The file name sent in the form (not a path: directories stay private).
    pub file_name: String,
    pub bytes: Bytes,
    pub info: ImageInfo,
}

impl InputImage {
    /// Looks at the bytes to learn the format and size; the name is only a label.
    pub fn from_bytes(
        file_name: impl Into<String>,
        bytes: Bytes,
    ) -> Result<InputImage, ProbeError> {
        let info = probe(&bytes)?;
        Ok(InputImage {
            file_name: file_name.into(),
            bytes,
            info,
        })
    }
}

/// A request before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRequest {
    pub endpoint: Endpoint,
    pub params: ImageParams,
    pub images: Vec<InputImage>,
    pub mask: Option<InputImage>,
    /// A transparent PNG of marks laid over the first image (edits).
    pub markup: Option<InputImage>,
}

impl ImageRequest {
    pub fn generate(params: ImageParams) -> ImageRequest {
        ImageRequest {
            endpoint: Endpoint::Generations,
            params,
            images: Vec::new(),
            mask: None,
            markup: None,
        }
    }

    pub fn edit(
        params: ImageParams,
        images: Vec<InputImage>,
        mask: Option<InputImage>,
    ) -> ImageRequest {
        ImageRequest {
            endpoint: Endpoint::Edits,
            params,
            images,
            mask,
            markup: None,
        }
    }

    /// Adds a markup PNG to an edit.
    pub fn with_markup(mut self, markup: Option<InputImage>) -> ImageRequest {
        self.markup = markup;
        self
    }

    pub fn vary(params: ImageParams, image: InputImage) -> ImageRequest {
        ImageRequest {
            endpoint: Endpoint::Variations,
            params,
            images: vec![image],
            mask: None,
            markup: None,
        }
    }
}

/// The name an input file is sent under: its file name only, never its
/// folders, which stay private.
pub fn sent_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into())
}

/// Parses `WxH` (both sides positive).
pub fn parse_size(size: &str) -> Option<(u32, u32)> {
    let (w, h) = size.split_once('x')?;
    let (w, h) = (w.parse::<u32>().ok()?, h.parse::<u32>().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}
