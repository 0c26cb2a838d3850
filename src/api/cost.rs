//! What an image costs, from the price table in the model table.
//!
//! DALL·E models are priced per image by quality and size; GPT image models
//! per million tokens of text input, image input and image output. Before
//! sending, the cost is estimated (a range when `auto` leaves the quality or
//! the size to the server); after, it is worked out from the `usage` the
//! server returned. A model without prices has no cost, which is shown as
//! unknown and never counted as zero.

use serde::{Deserialize, Serialize};

use super::catalog::{Endpoint, ModelSpec};
pub use super::prices::{AuthorPrice, Prices};
use super::request::ImageParams;

/// A cost known to lie between two amounts (equal when exact).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub low: f64,
    pub high: f64,
}

impl std::ops::Add for Estimate {
    type Output = Estimate;

    fn add(self, other: Estimate) -> Estimate {
        Estimate {
            low: self.low + other.low,
            high: self.high + other.high,
        }
    }
}

impl Estimate {
    pub fn exact(amount: f64) -> Estimate {
        Estimate {
            low: amount,
            high: amount,
        }
    }

    pub fn is_range(&self) -> bool {
        (self.high - self.low).abs() > 1e-9
    }

    fn times(self, factor: f64) -> Estimate {
        Estimate {
            low: self.low * factor,
            high: self.high * factor,
        }
    }
}

/// How a recorded cost was arrived at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// From the token counts the server returned.
    Usage,
    /// From the per-image price of the size and quality sent.
    PerImage,
    /// Made by a server that charges nothing (the demo).
    Free,
}

/// The cost of one saved image, as priced when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    pub usd: f64,
    pub basis: CostBasis,
    /// An SVG's authoring tokens were billed at a price artty does not
    /// know, so `usd` is only the image part.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub svg_unpriced: bool,
    /// Billed at Batch API prices.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub batch: bool,
}

const MILLION: f64 = 1_000_000.0;
/// Roughly four characters of English per token.
const CHARS_PER_TOKEN: usize = 4;
/// A guess for one input image of an edit: a 1024x1024 picture at high
/// fidelity is about this many tokens. Used only for the estimate.
const IMAGE_INPUT_TOKENS: u64 = 1_000;

/// The estimated cost of a request before it is sent, or `None` when the
/// model has no prices (or none for what was asked).
pub fn estimate(
    spec: &ModelSpec,
    params: &ImageParams,
    endpoint: Endpoint,
    input_images: usize,
) -> Option<Estimate> {
    let prices = spec.price.as_ref()?;
    let images = f64::from(params.n.unwrap_or(1).max(1));
    let qualities = choices(params.quality.as_deref(), &spec.qualities);
    let sizes = choices(params.size.as_deref(), &spec.sizes);
    let mut per_image: Option<Estimate> = None;
    for quality in &qualities {
        for size in &sizes {
            let one = one_image(prices, quality, size)?;
            per_image = Some(match per_image {
                None => Estimate::exact(one),
                Some(e) => Estimate {
                    low: e.low.min(one),
                    high: e.high.max(one),
                },
            });
        }
    }
    let mut total = per_image?.times(images);
    if prices.per_image.is_empty() {
        // Token-priced: the prompt and any input images are paid once per request.
        let prompt = params.prompt.as_deref().unwrap_or("");
        let text_tokens = (prompt.chars().count() / CHARS_PER_TOKEN + 1) as f64;
        total = total + Estimate::exact(text_tokens * prices.text_input? / MILLION);
        if endpoint != Endpoint::Generations && input_images > 0 {
            let tokens = (IMAGE_INPUT_TOKENS * input_images as u64) as f64;
            total = total + Estimate::exact(tokens * prices.image_input? / MILLION);
        }
    }
    Some(total)
}

/// A request's price run as a direct request, and on the Batch API (the
/// model table's `batch_factor` of it); `None` where either is unknown.
/// `free`: the demo server, which charges nothing either way.
pub fn here_and_batch(
    spec: Option<&ModelSpec>,
    params: &ImageParams,
    endpoint: Endpoint,
    input_images: usize,
    free: bool,
) -> (Option<Estimate>, Option<Estimate>) {
    if free {
        return (Some(Estimate::exact(0.0)), Some(Estimate::exact(0.0)));
    }
    let here = spec.and_then(|s| estimate(s, params, endpoint, input_images));
    let factor = spec
        .and_then(|s| s.price.as_ref())
        .and_then(|p| p.batch_factor);
    let batch = here.zip(factor).map(|(e, f)| Estimate {
        low: e.low * f,
        high: e.high * f,
    });
    (here, batch)
}

/// The sum of estimates, `None` when any is unknown.
pub fn sum_of(mut items: impl Iterator<Item = Option<Estimate>>) -> Option<Estimate> {
    items.try_fold(Estimate::exact(0.0), |sum, one| Some(sum + one?))
}

/// What a finished request cost, from the server's `usage` (token-priced
/// models) or the per-image price (DALL·E); `None` when it cannot be known.
pub fn actual(
    prices: &Prices,
    params: &ImageParams,
    usage: Option<&serde_json::Value>,
    images: usize,
) -> Option<Cost> {
    if prices.free {
        return Some(Cost {
            usd: 0.0,
            basis: CostBasis::Free,
            svg_unpriced: false,
            batch: prices.batch,
        });
    }
    if !prices.per_image.is_empty() {
        let quality = params.quality.as_deref().unwrap_or("standard");
        let size = params.size.as_deref()?;
        let one = prices.per_image.get(&key(quality, size))?;
        return Some(Cost {
            usd: one * images as f64,
            basis: CostBasis::PerImage,
            svg_unpriced: false,
            batch: prices.batch,
        });
    }
    let usage = usage?;
    let count = |path: &[&str]| -> Option<f64> {
        let mut value = usage;
        for step in path {
            value = value.get(step)?;
        }
        value.as_u64().map(|n| n as f64)
    };
    let input = count(&["input_tokens"]).unwrap_or(0.0);
    let (text_in, image_in) = match (
        count(&["input_tokens_details", "text_tokens"]),
        count(&["input_tokens_details", "image_tokens"]),
    ) {
        (Some(text), Some(image)) => (text, image),
        // Without details, every input token is counted as text.
        _ => (input, 0.0),
    };
    let output = count(&["output_tokens"])?;
    let mut usd = output * prices.image_output? / MILLION;
    if text_in > 0.0 {
        usd += text_in * prices.text_input? / MILLION;
    }
    if image_in > 0.0 {
        usd += image_in * prices.image_input? / MILLION;
    }
    Some(Cost {
        usd,
        basis: CostBasis::Usage,
        svg_unpriced: false,
        batch: prices.batch,
    })
}

/// What writing an SVG cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SvgCost {
    /// No SVG was written (no `svg_usage`).
    None,
    Priced(f64),
    /// The author model's price is not in the table.
    Unpriced,
}

/// What writing an SVG cost, from `svg_usage` at its author model's price.
pub fn svg_authoring(prices: &Prices, svg_usage: Option<&serde_json::Value>) -> SvgCost {
    let Some(usage) = svg_usage else {
        return SvgCost::None;
    };
    if prices.free {
        return SvgCost::Priced(0.0);
    }
    let tokens = |name: &str| {
        usage
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as f64
    };
    let author = usage
        .get("model")
        .and_then(serde_json::Value::as_str)
        .and_then(|model| prices.authors.iter().find(|a| a.name == model));
    let Some(author) = author else {
        return SvgCost::Unpriced;
    };
    // Reasoning tokens are billed as output tokens; text models count them
    // inside output_tokens, so they are only counted apart when larger.
    let output = tokens("output_tokens").max(tokens("reasoning_tokens"));
    SvgCost::Priced((tokens("input_tokens") * author.input + output * author.output) / MILLION)
}

/// The whole cost of a request: the image part and any SVG authoring.
pub fn total(
    prices: &Prices,
    params: &ImageParams,
    usage: Option<&serde_json::Value>,
    svg_usage: Option<&serde_json::Value>,
    images: usize,
) -> Option<Cost> {
    let mut cost = actual(prices, params, usage, images)?;
    match svg_authoring(prices, svg_usage) {
        SvgCost::Priced(usd) => cost.usd += usd,
        SvgCost::None => {}
        SvgCost::Unpriced => cost.svg_unpriced = true,
    }
    Some(cost)
}

/// The values a parameter could take: the one sent, or for `auto` (or
/// nothing sent) every concrete value the model lists.
fn choices(sent: Option<&str>, listed: &[String]) -> Vec<String> {
    match sent {
        Some(value) if value != "auto" => vec![value.to_string()],
        _ => {
            let concrete: Vec<String> = listed.iter().filter(|v| *v != "auto").cloned().collect();
            if concrete.is_empty() {
                // dall-e-2 lists one quality; models with none price by size alone.
                vec!["standard".into()]
            } else {
                concrete
            }
        }
    }
}

fn key(quality: &str, size: &str) -> String {
    format!("{quality} {size}")
}

/// The price of one image of this quality and size.
fn one_image(prices: &Prices, quality: &str, size: &str) -> Option<f64> {
    if !prices.per_image.is_empty() {
        return prices.per_image.get(&key(quality, size)).copied();
    }
    let tokens = output_tokens(prices, quality, size)?;
    Some(tokens * prices.image_output? / MILLION)
}

/// Output tokens for one image: listed, or scaled from the square size by
/// pixel count.
fn output_tokens(prices: &Prices, quality: &str, size: &str) -> Option<f64> {
    if let Some(tokens) = prices.output_tokens.get(&key(quality, size)) {
        return Some(*tokens as f64);
    }
    let square = *prices.output_tokens.get(&key(quality, "1024x1024"))? as f64;
    let (w, h) = size.split_once('x')?;
    let pixels = w.parse::<f64>().ok()? * h.parse::<f64>().ok()?;
    Some(square * pixels / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Catalog;

    /// A fixed table, so the arithmetic does not move when prices do.
    fn token_prices() -> Prices {
        Prices {
            text_input: Some(5.0),
            image_input: Some(10.0),
            image_output: Some(40.0),
            output_tokens: [
                ("low 1024x1024".to_string(), 272),
                ("medium 1024x1024".to_string(), 1056),
                ("high 1024x1024".to_string(), 4160),
                ("high 1536x1024".to_string(), 6208),
            ]
            .into_iter()
            .collect(),
            ..Prices::default()
        }
    }

    fn dalle_prices() -> Prices {
        Prices {
            per_image: [
                ("standard 1024x1024".to_string(), 0.04),
                ("hd 1024x1024".to_string(), 0.08),
                ("hd 1792x1024".to_string(), 0.12),
            ]
            .into_iter()
            .collect(),
            ..Prices::default()
        }
    }

    fn spec_with(prices: Option<Prices>, qualities: &[&str], sizes: &[&str]) -> ModelSpec {
        let mut spec = Catalog::builtin().get("gpt-image-1").unwrap().clone();
        spec.price = prices;
        spec.qualities = qualities.iter().map(|s| s.to_string()).collect();
        spec.sizes = sizes.iter().map(|s| s.to_string()).collect();
        spec
    }

    fn params(quality: Option<&str>, size: Option<&str>, n: u8, prompt: &str) -> ImageParams {
        ImageParams {
            quality: quality.map(String::from),
            size: size.map(String::from),
            n: Some(n),
            prompt: Some(prompt.to_string()),
            ..ImageParams::new("m")
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn per_image_prices_multiply_by_n() {
        let spec = spec_with(Some(dalle_prices()), &["standard", "hd"], &["1024x1024"]);
        let e = estimate(
            &spec,
            &params(Some("hd"), Some("1024x1024"), 3, "x"),
            Endpoint::Generations,
            0,
        )
        .unwrap();
        assert!(close(e.low, 0.24) && !e.is_range(), "{e:?}");
    }

    #[test]
    fn token_prices_count_output_and_prompt() {
        let spec = spec_with(Some(token_prices()), &["low", "high"], &["1024x1024"]);
        // 40 chars → 11 text tokens; 4160 output tokens at $40/M.
        let prompt = "a".repeat(40);
        let e = estimate(
            &spec,
            &params(Some("high"), Some("1024x1024"), 1, &prompt),
            Endpoint::Generations,
            0,
        )
        .unwrap();
        let expected = 4160.0 * 40.0 / 1e6 + 11.0 * 5.0 / 1e6;
        assert!(close(e.low, expected) && close(e.high, expected), "{e:?}");
    }

    #[test]
    fn auto_quality_gives_a_range_over_the_listed_qualities() {
        let spec = spec_with(
            Some(token_prices()),
            &["auto", "low", "medium", "high"],
            &["1024x1024"],
        );
        let e = estimate(
            &spec,
            &params(Some("auto"), Some("1024x1024"), 2, ""),
            Endpoint::Generations,
            0,
        )
        .unwrap();
        let text = 5.0 / 1e6;
        assert!(close(e.low, 2.0 * 272.0 * 40.0 / 1e6 + text), "{e:?}");
        assert!(close(e.high, 2.0 * 4160.0 * 40.0 / 1e6 + text), "{e:?}");
    }

    #[test]
    fn unlisted_sizes_scale_by_pixels() {
        let spec = spec_with(Some(token_prices()), &["low"], &["2048x2048"]);
        let e = estimate(
            &spec,
            &params(Some("low"), Some("2048x2048"), 1, ""),
            Endpoint::Generations,
            0,
        )
        .unwrap();
        assert!(close(e.low, 4.0 * 272.0 * 40.0 / 1e6 + 5.0 / 1e6), "{e:?}");
    }

    #[test]
    fn edits_add_input_images() {
        let spec = spec_with(Some(token_prices()), &["low"], &["1024x1024"]);
        let p = params(Some("low"), Some("1024x1024"), 1, "");
        let plain = estimate(&spec, &p, Endpoint::Edits, 0).unwrap();
        let two = estimate(&spec, &p, Endpoint::Edits, 2).unwrap();
        assert!(close(two.low - plain.low, 2000.0 * 10.0 / 1e6));
    }

    #[test]
    fn unknown_prices_are_unknown_not_zero() {
        let spec = spec_with(None, &["low"], &["1024x1024"]);
        let p = params(Some("low"), Some("1024x1024"), 1, "");
        assert_eq!(estimate(&spec, &p, Endpoint::Generations, 0), None);
        // A size the per-image table does not list is unknown too.
        let spec = spec_with(Some(dalle_prices()), &["standard"], &["512x512"]);
        let p = params(Some("standard"), Some("512x512"), 1, "");
        assert_eq!(estimate(&spec, &p, Endpoint::Generations, 0), None);
        // Usage without an output price cannot be priced.
        let mut prices = token_prices();
        prices.image_output = None;
        let usage = serde_json::json!({"input_tokens": 10, "output_tokens": 100});
        assert_eq!(actual(&prices, &p, Some(&usage), 1), None);
    }

    #[test]
    fn actual_cost_comes_from_usage_details() {
        let usage = serde_json::json!({
            "input_tokens": 1050, "output_tokens": 4160,
            "input_tokens_details": {"text_tokens": 50, "image_tokens": 1000}
        });
        let cost = actual(&token_prices(), &ImageParams::new("m"), Some(&usage), 1).unwrap();
        let expected = (50.0 * 5.0 + 1000.0 * 10.0 + 4160.0 * 40.0) / 1e6;
        assert!(close(cost.usd, expected), "{cost:?}");
        assert_eq!(cost.basis, CostBasis::Usage);
        // Without details all input is text.
        let usage = serde_json::json!({"input_tokens": 100, "output_tokens": 0});
        let cost = actual(&token_prices(), &ImageParams::new("m"), Some(&usage), 1).unwrap();
        assert!(close(cost.usd, 100.0 * 5.0 / 1e6));
    }

    #[test]
    fn actual_per_image_cost_uses_what_was_sent() {
        let p = ImageParams {
            quality: Some("hd".into()),
            size: Some("1792x1024".into()),
            ..ImageParams::new("dall-e-3")
        };
        let cost = actual(&dalle_prices(), &p, None, 2).unwrap();
        assert!(close(cost.usd, 0.24));
        assert_eq!(cost.basis, CostBasis::PerImage);
    }

    #[test]
    fn svg_authoring_is_priced_by_its_author_or_said_unpriced() {
        let mut prices = token_prices();
        prices.authors = vec![AuthorPrice {
            name: "gpt-5".into(),
            input: 1.25,
            output: 10.0,
        }];
        let usage = serde_json::json!({"input_tokens": 0, "output_tokens": 1000});
        let svg = serde_json::json!({"model": "gpt-5", "input_tokens": 2000, "output_tokens": 3000,
            "reasoning_tokens": 1000, "total_tokens": 5000});
        let p = ImageParams::new("m");
        let cost = total(&prices, &p, Some(&usage), Some(&svg), 1).unwrap();
        let expected = 1000.0 * 40.0 / 1e6 + (2000.0 * 1.25 + 3000.0 * 10.0) / 1e6;
        assert!(close(cost.usd, expected) && !cost.svg_unpriced, "{cost:?}");
        let other = serde_json::json!({"model": "o-author", "input_tokens": 5, "output_tokens": 5});
        let cost = total(&prices, &p, Some(&usage), Some(&other), 1).unwrap();
        assert!(
            cost.svg_unpriced && close(cost.usd, 1000.0 * 40.0 / 1e6),
            "{cost:?}"
        );
    }

    #[test]
    fn the_builtin_table_prices_the_models_it_knows() {
        let catalog = Catalog::builtin();
        for name in crate::api::catalog::TODAYS_MODELS.into_iter().chain([
            "dall-e-2",
            "dall-e-3",
            "gpt-image-1",
            "gpt-image-1-mini",
            "gpt-image-1.5",
        ]) {
            let spec = catalog.get(name).unwrap();
            let p = ImageParams::new(name);
            assert!(
                estimate(spec, &p, Endpoint::Generations, 0).is_some(),
                "{name} has no estimate"
            );
        }
    }
}
