//! What fitting an input to a model's rules will do, as geometry: the
//! user's choices and the steps (crop, pad, resize) planned from the
//! original's size. No pixels here: `resample.rs` applies the steps.

use serde::{Deserialize, Serialize};

use crate::api::catalog::EditRules;

/// How a non-square input is made square for models that need it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SquareFit {
    /// Transparent borders: the model fills them in (outpainting).
    #[default]
    Pad,
    /// The centre square.
    Crop,
    /// Resized to a square, changing the proportions.
    Stretch,
}

impl SquareFit {
    pub fn label(self) -> &'static str {
        match self {
            SquareFit::Pad => "pad",
            SquareFit::Crop => "crop",
            SquareFit::Stretch => "stretch",
        }
    }

    pub fn next(self) -> SquareFit {
        match self {
            SquareFit::Pad => SquareFit::Crop,
            SquareFit::Crop => SquareFit::Stretch,
            SquareFit::Stretch => SquareFit::Pad,
        }
    }
}

/// The user's choices for fitting inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitOptions {
    pub square: SquareFit,
    /// Inputs larger than this on their longest side are scaled down.
    #[serde(default)]
    pub longest_edge: Option<u32>,
}

/// Longest-edge choices offered in the edit panel, `None` first (as is).
pub const LONGEST_EDGES: [Option<u32>; 5] = [None, Some(4096), Some(2048), Some(1536), Some(1024)];

/// One geometric change, applied in order; the mask gets the same ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Crop {
        x: u32,
        y: u32,
        w: u32,
        h: u32,
    },
    /// Onto a transparent canvas of `w`×`h`, at `x`,`y`.
    Pad {
        w: u32,
        h: u32,
        x: u32,
        y: u32,
    },
    Resize {
        w: u32,
        h: u32,
    },
}

/// The geometry for these rules and options, from the original size.
pub fn plan(size: (u32, u32), rules: &EditRules, options: FitOptions) -> Vec<Step> {
    let (w, h) = size;
    let mut steps = Vec::new();
    let mut now = size;
    if rules.square && w != h {
        let step = match options.square {
            SquareFit::Pad => {
                let s = w.max(h);
                Step::Pad {
                    w: s,
                    h: s,
                    x: (s - w) / 2,
                    y: (s - h) / 2,
                }
            }
            SquareFit::Crop => {
                let s = w.min(h);
                Step::Crop {
                    x: (w - s) / 2,
                    y: (h - s) / 2,
                    w: s,
                    h: s,
                }
            }
            SquareFit::Stretch => {
                let s = w.max(h);
                Step::Resize { w: s, h: s }
            }
        };
        now = step.size();
        steps.push(step);
    }
    if let Some(edge) = options.longest_edge
        && now.0.max(now.1) > edge
    {
        let scale = f64::from(edge) / f64::from(now.0.max(now.1));
        let step = Step::Resize {
            w: ((f64::from(now.0) * scale).round() as u32).max(1),
            h: ((f64::from(now.1) * scale).round() as u32).max(1),
        };
        steps.push(step);
    }
    steps
}

impl Step {
    /// The image's size after this step (every step names it).
    pub fn size(self) -> (u32, u32) {
        match self {
            Step::Crop { w, h, .. } | Step::Pad { w, h, .. } | Step::Resize { w, h } => (w, h),
        }
    }
}

pub fn describe(from: (u32, u32), step: Step) -> String {
    let to = step.size();
    let verb = match step {
        Step::Crop { .. } => "cropped",
        Step::Pad { .. } => "padded (transparent border)",
        Step::Resize { .. } => "resized",
    };
    format!("{verb} {}x{} to {}x{}", from.0, from.1, to.0, to.1)
}
