//! What a model costs, as the model table says: plain data, read by the
//! table (`catalog.rs`) and priced by `cost.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A text model that writes SVG output, priced per million tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorPrice {
    pub name: String,
    pub input: f64,
    pub output: f64,
}

/// A model's prices in US dollars. Users override them in their own
/// `models.toml`, since prices change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    /// Per image, keyed `"<quality> <size>"` (`"hd 1024x1792"`).
    #[serde(default)]
    pub per_image: BTreeMap<String, f64>,
    /// Per million text input tokens.
    pub text_input: Option<f64>,
    /// Per million image input tokens (the images of an edit).
    pub image_input: Option<f64>,
    /// Per million image output tokens.
    pub image_output: Option<f64>,
    /// Per million cached text and image input tokens.
    pub text_input_cached: Option<f64>,
    pub image_input_cached: Option<f64>,
    /// What the Batch API charges, as a share of these prices.
    pub batch_factor: Option<f64>,
    /// Image output tokens per image, keyed `"<quality> <size>"`; sizes
    /// not listed are estimated from the `1024x1024` entry by pixel count.
    #[serde(default)]
    pub output_tokens: BTreeMap<String, u64>,
    /// Nothing is charged (the demo server).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub free: bool,
    /// The text models that write SVG output (from the table's `[[author]]`).
    #[serde(default, skip)]
    pub authors: Vec<AuthorPrice>,
}

impl Prices {
    /// The prices of a server that charges nothing.
    pub fn free() -> Prices {
        Prices {
            text_input: Some(0.0),
            image_input: Some(0.0),
            image_output: Some(0.0),
            free: true,
            ..Prices::default()
        }
    }
}
