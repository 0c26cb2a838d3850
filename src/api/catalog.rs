//! The model table: which image models exist and what each one accepts.
//!
//! The table is data (`models.toml` next to this file, embedded at build
//! time) so that a retirement or a new size is an edit, not a code change.
//! Users extend or override it with their own `models.toml`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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

/// One model's entry in the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub name: String,
    pub released: Option<Date>,
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
    pub partial_images_max: Option<u8>,
    pub prompt_max: usize,
    pub edit: Option<EditRules>,
    pub shutdown: Option<Date>,
    pub replacement: Option<String>,
    /// Prices in US dollars; missing means unknown, never free.
    pub price: Option<super::cost::Prices>,
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
}

#[derive(Deserialize)]
struct TableFile {
    #[serde(default)]
    model: Vec<toml::Table>,
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
        for (origin, text) in layers {
            let file: TableFile = toml::from_str(text).map_err(|e| CatalogError::Parse {
                origin: origin.to_string(),
                detail: crate::toml_text::error_text(text, &e),
            })?;
            for entry in file.model {
                merge_entry(&mut merged, entry, origin)?;
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
        Ok(Catalog { models })
    }

    pub fn models(&self) -> &[ModelSpec] {
        &self.models
    }

    pub fn get(&self, name: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.name == name)
    }

    /// What a request to `model` is priced at: nothing on a server that
    /// charges nothing (the demo), else the table's prices, if any.
    pub fn prices(&self, model: &str, free: bool) -> Option<super::cost::Prices> {
        if free {
            return Some(super::cost::Prices::free());
        }
        self.get(model).and_then(|spec| spec.price.clone())
    }

    /// The newest model with no announced shutdown.
    pub fn default_model(&self) -> Option<&ModelSpec> {
        self.models
            .iter()
            .filter(|m| m.shutdown.is_none())
            .max_by_key(|m| m.released)
    }
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
    fn builtin_table_parses_and_defaults_to_gpt_image_2() {
        let catalog = Catalog::builtin();
        assert_eq!(
            catalog.default_model().map(|m| m.name.as_str()),
            Some("gpt-image-2")
        );
        for name in [
            "dall-e-2",
            "dall-e-3",
            "gpt-image-1",
            "gpt-image-1-mini",
            "gpt-image-1.5",
        ] {
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
        // gpt-image-2 now has a shutdown date, so the only model without one is the default.
        assert_eq!(catalog.default_model().unwrap().name, "flux-local");
    }

    #[test]
    fn user_file_errors_name_the_origin() {
        let err = Catalog::with_overrides("[[model]]\nname = 3\n", "models.toml").unwrap_err();
        assert!(err.to_string().contains("models.toml"), "{err}");
    }
}
