//! The model table: which image models exist and what each one accepts.
//!
//! The table is data (`models.toml` next to this file, embedded at build
//! time) so that a retirement or a new size is an edit, not a code change.
//! Users extend or override it with their own `models.toml`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::prices::AuthorPrice;

const BUILTIN: &str = include_str!("models.toml");

/// An images endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    Generations,
    Edits,
    Variations,
}

impl Endpoint {
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Generations => "images/generations",
            Endpoint::Edits => "images/edits",
            Endpoint::Variations => "images/variations",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Generations => "generations",
            Endpoint::Edits => "edits",
            Endpoint::Variations => "variations",
        }
    }
}

/// Free-form `WxH` sizes a model takes beyond its listed ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeRule {
    pub multiple_of: u32,
    /// Longest side over shortest side, at most.
    pub max_aspect: f64,
    pub max_edge: u32,
    pub max_pixels: u64,
    /// Sizes with more pixels than this work but are marked experimental.
    pub experimental_above_pixels: Option<u64>,
}

/// Limits on the input images of an edit (and of a variation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditRules {
    pub max_images: usize,
    pub max_bytes: u64,
    /// Accepted input formats: png, jpeg, webp.
    pub formats: Vec<String>,
    /// Inputs must be square (dall-e-2).
    #[serde(default)]
    pub square: bool,
}

/// Limits of animated GIF output. All frames are drawn on one sheet (a grid
/// of `ceil(sqrt(frames))` columns) that must itself fit the sheet limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GifRules {
    pub frames_min: u8,
    pub frames_max: u8,
    pub frames_default: u8,
    pub frame_ms_min: u32,
    pub frame_ms_max: u32,
    /// The server rounds frame times to this many milliseconds.
    pub frame_ms_step: u32,
    pub frame_ms_default: u32,
    pub multiple_of: u32,
    pub sheet_max_edge: u32,
    pub sheet_max_pixels: u64,
    /// The largest frame side for each frame count, ascending by `frames`.
    #[serde(default)]
    pub frame_sides: Vec<FrameSide>,
}

/// Frames up to `frames` may have sides up to `max_side`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameSide {
    pub frames: u8,
    pub max_side: u32,
}

impl GifRules {
    /// The largest frame side for `frames` frames, if the table says.
    pub fn max_side(&self, frames: u8) -> Option<u32> {
        self.frame_sides
            .iter()
            .find(|s| frames <= s.frames)
            .map(|s| s.max_side)
    }

    /// The sheet `frames` frames of `w`×`h` are drawn on.
    pub fn sheet(frames: u8, (w, h): (u32, u32)) -> (u64, u64) {
        let frames = u64::from(frames.max(1));
        let columns = (1..=frames).find(|c| c * c >= frames).unwrap_or(frames);
        let rows = frames.div_ceil(columns);
        (columns * u64::from(w), rows * u64::from(h))
    }
}

/// SVG output: who writes the SVG and how hard it thinks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SvgRules {
    /// Values of `svg.reasoning.effort`.
    #[serde(default)]
    pub efforts: Vec<String>,
    /// Author models to offer; any name may be typed.
    #[serde(default)]
    pub authors: Vec<String>,
}

/// One model's entry in the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub name: String,
    pub released: Option<Date>,
    /// The table's choice of default model.
    #[serde(default)]
    pub preferred: bool,
    pub tier: Option<String>,
    /// Dated names of this model.
    #[serde(default)]
    pub snapshots: Vec<String>,
    pub endpoints: Vec<Endpoint>,
    #[serde(default)]
    pub sizes: Vec<String>,
    pub size_rule: Option<SizeRule>,
    #[serde(default)]
    pub qualities: Vec<String>,
    #[serde(default)]
    pub styles: Vec<String>,
    pub n_max: u8,
    #[serde(default)]
    pub response_formats: Vec<String>,
    #[serde(default)]
    pub backgrounds: Vec<String>,
    #[serde(default)]
    pub output_formats: Vec<String>,
    #[serde(default)]
    pub output_compression: bool,
    #[serde(default)]
    pub moderation: Vec<String>,
    #[serde(default)]
    pub input_fidelity: Vec<String>,
    #[serde(default)]
    pub complexity: Vec<String>,
    pub partial_images_max: Option<u8>,
    pub prompt_max: usize,
    pub edit: Option<EditRules>,
    #[serde(default)]
    pub markup: bool,
    pub gif: Option<GifRules>,
    pub svg: Option<SvgRules>,
    /// Output formats an account must be given access to.
    #[serde(default)]
    pub gated_formats: Vec<String>,
    /// Parameters no first-party source settles for this model: checked
    /// and sent when set, with a warning.
    #[serde(default)]
    pub unverified: Vec<String>,
    pub shutdown: Option<Date>,
    pub replacement: Option<String>,
    /// Prices in US dollars; missing means unknown, never free.
    pub price: Option<super::prices::Prices>,
}

/// Where a model stands on OpenAI's own API on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lifecycle {
    Active,
    /// A shutdown date is announced and not yet reached.
    Deprecated {
        shutdown: Date,
    },
    ShutDown {
        since: Date,
    },
}

impl ModelSpec {
    pub fn serves(&self, endpoint: Endpoint) -> bool {
        self.endpoints.contains(&endpoint)
    }

    pub fn streams(&self) -> bool {
        self.partial_images_max.is_some()
    }

    /// True when `param`'s support for this model is not settled.
    pub fn is_unverified(&self, param: &str) -> bool {
        self.unverified.iter().any(|p| p == param)
    }

    pub fn lifecycle(&self, today: Date) -> Lifecycle {
        match self.shutdown {
            None => Lifecycle::Active,
            Some(day) if day <= today => Lifecycle::ShutDown { since: day },
            Some(day) => Lifecycle::Deprecated { shutdown: day },
        }
    }
}

/// Errors reading a model table.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{origin}: {detail}")]
    Parse { origin: String, detail: String },
}

/// The whole table: built-in entries plus the user's overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    models: Vec<ModelSpec>,
    authors: Vec<AuthorPrice>,
    retired_endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    model: Vec<toml::Table>,
    #[serde(default)]
    author: Vec<AuthorPrice>,
    retired_endpoints: Option<Vec<Endpoint>>,
}

impl Catalog {
    /// The table shipped with artty.
    pub fn builtin() -> Catalog {
        match Catalog::from_toml_layers(&[("built-in model table", BUILTIN)]) {
            Ok(catalog) => catalog,
            // The embedded table is checked by a unit test; reaching this is a build defect.
            Err(err) => unreachable!("embedded model table is invalid: {err}"),
        }
    }

    /// The built-in table with a user file's entries merged over it, field by field.
    pub fn with_overrides(user_toml: &str, origin: &str) -> Result<Catalog, CatalogError> {
        Catalog::from_toml_layers(&[("built-in model table", BUILTIN), (origin, user_toml)])
    }

    fn from_toml_layers(layers: &[(&str, &str)]) -> Result<Catalog, CatalogError> {
        let mut merged: Vec<toml::Table> = Vec::new();
        let mut authors: Vec<AuthorPrice> = Vec::new();
        let mut retired_endpoints = Vec::new();
        for (origin, text) in layers {
            let file: TableFile = toml::from_str(text).map_err(|e| CatalogError::Parse {
                origin: origin.to_string(),
                detail: crate::util::toml_text::error_text(text, &e),
            })?;
            for entry in file.model {
                merge_entry(&mut merged, entry, origin)?;
            }
            for author in file.author {
                authors.retain(|a| a.name != author.name);
                authors.push(author);
            }
            if let Some(retired) = file.retired_endpoints {
                retired_endpoints = retired;
            }
        }
        let models = merged
            .into_iter()
            .map(|table| {
                let name = entry_name(&table).unwrap_or_default().to_string();
                table
                    .try_into()
                    .map_err(|e: toml::de::Error| CatalogError::Parse {
                        origin: format!("model {name}"),
                        detail: e.to_string(),
                    })
            })
            .collect::<Result<Vec<ModelSpec>, _>>()?;
        Ok(Catalog {
            models,
            authors,
            retired_endpoints,
        })
    }

    pub fn models(&self) -> &[ModelSpec] {
        &self.models
    }

    /// The entry for `name`: its own, or, for a dated snapshot
    /// (`gpt-image-2-2026-04-21`), the entry of the model it is a snapshot of.
    pub fn get(&self, name: &str) -> Option<&ModelSpec> {
        self.models
            .iter()
            .find(|m| m.name == name)
            .or_else(|| {
                self.models
                    .iter()
                    .find(|m| m.snapshots.iter().any(|s| s == name))
            })
            .or_else(|| {
                let alias = snapshot_alias(name)?;
                self.models.iter().find(|m| m.name == alias)
            })
    }

    /// Prices of the text models that author SVG output.
    pub fn author_price(&self, name: &str) -> Option<&AuthorPrice> {
        self.authors.iter().find(|a| a.name == name)
    }

    /// True when OpenAI's own API no longer serves `endpoint`.
    pub fn endpoint_retired(&self, endpoint: Endpoint) -> bool {
        self.retired_endpoints.contains(&endpoint)
    }

    /// What a request to `model` is priced at: nothing on a server that
    /// charges nothing (the demo), else the table's prices, if any.
    pub fn prices(&self, model: &str, free: bool) -> Option<super::prices::Prices> {
        if free {
            return Some(super::prices::Prices::free());
        }
        let mut prices = self.get(model).and_then(|spec| spec.price.clone())?;
        prices.authors = self.authors.clone();
        Some(prices)
    }

    /// The model to use for `endpoint` when none is named: the default
    /// when it serves the endpoint, else the newest that does (for
    /// variations, only dall-e-2 ever has).
    pub fn default_for(&self, endpoint: Endpoint) -> Option<&ModelSpec> {
        self.default_model()
            .filter(|m| m.serves(endpoint))
            .or_else(|| {
                self.models
                    .iter()
                    .filter(|m| m.serves(endpoint))
                    .max_by_key(|m| m.released)
            })
    }

    /// The first preferred model (in table order) with no announced
    /// shutdown, else the newest model with none.
    pub fn default_model(&self) -> Option<&ModelSpec> {
        let open = || self.models.iter().filter(|m| m.shutdown.is_none());
        open()
            .find(|m| m.preferred)
            .or_else(|| open().max_by_key(|m| m.released))
    }
}

/// The models OpenAI serves today, for tests that go through each.
#[cfg(test)]
pub(crate) const TODAYS_MODELS: [&str; 5] = [
    "gpt-image-2",
    "gpt-image-2.5-flare",
    "gpt-image-2.5-sunburst",
    "gpt-image-2.6-flare",
    "gpt-image-2.6-sunburst",
];

/// `name` without a `-YYYY-MM-DD` snapshot date, if it ends in one.
fn snapshot_alias(name: &str) -> Option<&str> {
    let (alias, date) = name.len().checked_sub(11).map(|at| name.split_at(at))?;
    let date = date.strip_prefix('-')?;
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let mut parts = date.split('-');
    let dated = matches!((parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(y), Some(m), Some(d), None) if digits(y, 4) && digits(m, 2) && digits(d, 2));
    (dated && !alias.is_empty()).then_some(alias)
}

fn entry_name(table: &toml::Table) -> Option<&str> {
    table.get("name").and_then(|v| v.as_str())
}

fn merge_entry(
    merged: &mut Vec<toml::Table>,
    entry: toml::Table,
    origin: &str,
) -> Result<(), CatalogError> {
    let Some(name) = entry_name(&entry) else {
        return Err(CatalogError::Parse {
            origin: origin.to_string(),
            detail: "a [[model]] entry has no name".into(),
        });
    };
    match merged.iter_mut().find(|t| entry_name(t) == Some(name)) {
        Some(existing) => existing.extend(entry),
        None => merged.push(entry),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_defaults_to_gpt_image_2_6_flare() {
        let catalog = Catalog::builtin();
        assert_eq!(
            catalog.default_model().map(|m| m.name.as_str()),
            Some("gpt-image-2.6-flare")
        );
        for name in TODAYS_MODELS.into_iter().chain([
            "chatgpt-image-latest",
            "dall-e-2",
            "dall-e-3",
            "gpt-image-1",
            "gpt-image-1-mini",
            "gpt-image-1.5",
        ]) {
            assert!(catalog.get(name).is_some(), "{name} missing");
        }
    }

    #[test]
    fn lifecycle_follows_the_date() {
        let catalog = Catalog::builtin();
        let mini = catalog.get("gpt-image-1-mini").unwrap();
        let today = jiff::civil::date(2026, 11, 21);
        assert!(matches!(
            mini.lifecycle(today),
            Lifecycle::Deprecated { .. }
        ));
        assert!(matches!(
            mini.lifecycle(jiff::civil::date(2026, 12, 1)),
            Lifecycle::ShutDown { .. }
        ));
        assert_eq!(
            catalog.get("gpt-image-2").unwrap().lifecycle(today),
            Lifecycle::Active
        );
    }

    #[test]
    fn dated_snapshots_inherit_their_alias() {
        let catalog = Catalog::builtin();
        for (snapshot, alias) in [
            ("gpt-image-2-2026-04-21", "gpt-image-2"),
            ("gpt-image-2.5-flare-2026-09-08", "gpt-image-2.5-flare"),
            (
                "gpt-image-2.6-sunburst-2027-01-15",
                "gpt-image-2.6-sunburst",
            ),
        ] {
            assert_eq!(catalog.get(snapshot).map(|m| m.name.as_str()), Some(alias));
        }
        for odd in [
            "gpt-image-2-2026-4-21",
            "-2026-04-21",
            "gpt-image-9-2026-04-21",
            "2026-04-21",
        ] {
            assert!(catalog.get(odd).is_none(), "{odd}");
        }
    }

    #[test]
    fn today_s_models_and_what_they_take() {
        let catalog = Catalog::builtin();
        let today = jiff::civil::date(2026, 12, 1);
        for name in TODAYS_MODELS {
            let spec = catalog.get(name).unwrap();
            assert_eq!(spec.lifecycle(today), Lifecycle::Active, "{name}");
            assert!(
                spec.price.as_ref().unwrap().image_output == Some(30.0),
                "{name}"
            );
            let extra = spec.qualities.iter().any(|q| q == "max");
            assert_eq!(extra, name != "gpt-image-2", "{name} xhigh/max");
            assert_eq!(
                spec.gif.is_some(),
                name.starts_with("gpt-image-2.6"),
                "{name} gif"
            );
        }
        let g2 = catalog.get("gpt-image-2").unwrap();
        assert!(
            g2.input_fidelity.is_empty(),
            "the SDK says to omit it for gpt-image-2"
        );
        assert!(g2.is_unverified("complexity") && g2.is_unverified("markup"));
        assert!(
            !catalog
                .get("gpt-image-2.6-flare")
                .unwrap()
                .is_unverified("complexity")
        );
        assert!(catalog.endpoint_retired(Endpoint::Variations));
        assert!(catalog.author_price("gpt-5").is_some());
    }

    #[test]
    fn gif_sheets_are_square_grids() {
        assert_eq!(GifRules::sheet(9, (960, 960)), (2880, 2880));
        assert_eq!(GifRules::sheet(6, (1024, 1024)), (3072, 2048));
        assert_eq!(GifRules::sheet(12, (816, 816)), (3264, 2448));
        assert_eq!(GifRules::sheet(2, (100, 50)), (200, 50));
    }

    #[test]
    fn user_file_overrides_fields_and_adds_models() {
        let user = r#"
[[model]]
name = "gpt-image-2"
shutdown = "2027-06-01"

[[model]]
name = "flux-local"
endpoints = ["generations"]
sizes = ["512x512"]
n_max = 4
prompt_max = 2000
"#;
        let catalog = Catalog::with_overrides(user, "models.toml").unwrap();
        let g2 = catalog.get("gpt-image-2").unwrap();
        assert_eq!(g2.shutdown, Some(jiff::civil::date(2027, 6, 1)));
        assert_eq!(g2.prompt_max, 32000, "fields not overridden are kept");
        assert_eq!(catalog.get("flux-local").unwrap().n_max, 4);
        // The preferred model stays the default while it has no shutdown date.
        assert_eq!(catalog.default_model().unwrap().name, "gpt-image-2.6-flare");
        let user = "[[model]]\nname = \"gpt-image-2.6-flare\"\nshutdown = \"2027-01-01\"\n";
        let catalog = Catalog::with_overrides(user, "models.toml").unwrap();
        assert_eq!(
            catalog.default_model().unwrap().name,
            "gpt-image-2.6-sunburst"
        );
    }

    #[test]
    fn user_file_errors_name_the_origin() {
        let err = Catalog::with_overrides("[[model]]\nname = 3\n", "models.toml").unwrap_err();
        assert!(err.to_string().contains("models.toml"), "{err}");
    }
}
