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
    /// These are Batch API prices (from [`Prices::at_batch`]).
    #[serde(default, skip)]
    pub batch: bool,
    /// The text models that write SVG output (from the table's `[[author]]`).
    #[serde(default, skip)]
    pub authors: Vec<AuthorPrice>,
}

impl Prices {
    /// What the Batch API charges: every price times `batch_factor`, marked
    /// as batch prices; `None` when the table gives no factor (the price
    /// is then unknown, never assumed).
    pub fn at_batch(&self) -> Option<Prices> {
        if self.free {
            return Some(Prices {
                batch: true,
                ..self.clone()
            });
        }
        let factor = self.batch_factor?;
        let scale = |p: Option<f64>| p.map(|p| p * factor);
        Some(Prices {
            per_image: self
                .per_image
                .iter()
                .map(|(k, v)| (k.clone(), v * factor))
                .collect(),
            text_input: scale(self.text_input),
            image_input: scale(self.image_input),
            image_output: scale(self.image_output),
            text_input_cached: scale(self.text_input_cached),
            image_input_cached: scale(self.image_input_cached),
            batch_factor: None,
            batch: true,
            ..self.clone()
        })
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_prices_are_scaled_by_the_tables_factor_or_unknown_without_one() {
        let prices = Prices {
            text_input: Some(5.0),
            image_output: Some(30.0),
            per_image: [("hd 1024x1024".to_string(), 0.08)].into(),
            batch_factor: Some(0.5),
            ..Prices::default()
        };
        let batch = prices.at_batch().unwrap();
        assert!(batch.batch);
        assert_eq!(batch.text_input, Some(2.5));
        assert_eq!(batch.image_output, Some(15.0));
        assert_eq!(batch.per_image["hd 1024x1024"], 0.04);
        let unverified = Prices {
            batch_factor: None,
            ..prices
        };
        assert_eq!(unverified.at_batch(), None);
        assert!(Prices::free().at_batch().unwrap().batch);
    }
}
