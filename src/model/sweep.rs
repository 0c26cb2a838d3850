//! A sweep: one prompt sent across a small matrix of models × sizes ×
//! qualities, chosen in the parameters panel with `w`. A list left empty
//! keeps the panel's value, so adding two sizes sweeps just the size.

use crate::api::ImageParams;

use super::params::{Field, Params};

/// More requests than this at once is more likely a slip than a plan.
pub const MAX_CELLS: usize = 12;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sweep {
    pub models: Vec<String>,
    pub sizes: Vec<String>,
    pub qualities: Vec<String>,
}

/// One request of a sweep, and how it is named in the group.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub params: ImageParams,
    pub label: String,
}

impl Sweep {
    fn list_mut(&mut self, field: Field) -> Option<&mut Vec<String>> {
        match field {
            Field::Model => Some(&mut self.models),
            Field::Size => Some(&mut self.sizes),
            Field::Quality => Some(&mut self.qualities),
            _ => None,
        }
    }

    /// Adds the value to (or takes it from) the field's list. `Err` says why not.
    pub fn toggle(&mut self, field: Field, value: String) -> Result<bool, String> {
        let Some(list) = self.list_mut(field) else {
            return Err("Sweeps vary the model, the size and the quality".into());
        };
        if let Some(at) = list.iter().position(|v| *v == value) {
            list.remove(at);
            return Ok(false);
        }
        list.push(value);
        if self.count() > MAX_CELLS {
            self.list_mut(field).and_then(Vec::pop);
            return Err(format!("A sweep sends at most {MAX_CELLS} requests"));
        }
        Ok(true)
    }

    pub fn is_empty(&self) -> bool {
        self.models.is_empty() && self.sizes.is_empty() && self.qualities.is_empty()
    }

    pub fn count(&self) -> usize {
        self.models.len().max(1) * self.sizes.len().max(1) * self.qualities.len().max(1)
    }

    /// `2 models × 3 sizes = 6 requests`.
    pub fn label(&self) -> String {
        let part = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let parts: Vec<String> = [
            part(self.models.len(), "model", "models"),
            part(self.sizes.len(), "size", "sizes"),
            part(self.qualities.len(), "quality", "qualities"),
        ]
        .into_iter()
        .flatten()
        .collect();
        format!("{} = {} requests", parts.join(" × "), self.count())
    }

    /// Every request of the sweep. Each model starts from the values last
    /// used with it (the panel's, for the model shown), then takes the
    /// cell's size and quality.
    pub fn cells(&self, params: &Params, prompt: &str) -> Vec<Cell> {
        let current = params.model().to_string();
        let models = if self.models.is_empty() {
            vec![current.clone()]
        } else {
            self.models.clone()
        };
        let mut cells = Vec::new();
        for model in &models {
            let mut base = if *model == current {
                params.values.clone()
            } else {
                Params::new(model.clone(), params.remembered().clone()).values
            };
            base.prompt = Some(prompt.to_string());
            let sizes = or_current(&self.sizes, &base.size);
            let qualities = or_current(&self.qualities, &base.quality);
            for size in &sizes {
                for quality in &qualities {
                    let params = ImageParams {
                        size: size.clone(),
                        quality: quality.clone(),
                        ..base.clone()
                    };
                    let label = [Some(model.as_str()), size.as_deref(), quality.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    cells.push(Cell { params, label });
                }
            }
        }
        cells
    }
}

fn or_current(list: &[String], current: &Option<String>) -> Vec<Option<String>> {
    if list.is_empty() {
        vec![current.clone()]
    } else {
        list.iter().cloned().map(Some).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn cells_are_the_product_and_the_cap_holds() {
        let params = Params::new("gpt-image-1".into(), BTreeMap::new());
        let mut sweep = Sweep::default();
        sweep.toggle(Field::Model, "gpt-image-1".into()).unwrap();
        sweep.toggle(Field::Model, "dall-e-3".into()).unwrap();
        sweep.toggle(Field::Size, "1024x1024".into()).unwrap();
        sweep.toggle(Field::Quality, "high".into()).unwrap();
        sweep.toggle(Field::Quality, "low".into()).unwrap();
        assert_eq!(sweep.count(), 4);
        assert_eq!(
            sweep.label(),
            "2 models × 1 size × 2 qualities = 4 requests"
        );
        let cells = sweep.cells(&params, "a fox");
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0].label, "gpt-image-1 1024x1024 high");
        assert_eq!(cells[3].params.model, "dall-e-3");
        assert!(
            cells
                .iter()
                .all(|c| c.params.prompt.as_deref() == Some("a fox"))
        );
        // Toggling again removes; past the cap is refused and nothing changes.
        assert_eq!(sweep.toggle(Field::Quality, "low".into()), Ok(false));
        for size in ["a", "b", "c", "d", "e"] {
            let _ = sweep.toggle(Field::Size, size.into());
        }
        assert!(sweep.count() <= MAX_CELLS);
        assert!(sweep.toggle(Field::Style, "vivid".into()).is_err());
    }
}
