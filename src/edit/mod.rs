//! Edits and variations, apart from any screen: the mask being painted,
//! its PNG, and fitting input images to a model's rules. Pure over
//! bytes; the effect runner reads the files and calls this off the UI
//! thread.

pub mod fit;
pub mod fit_plan;
pub mod markup;
pub mod mask;
pub mod mask_png;
pub mod prepare;
pub mod resample;

pub use fit_plan::{FitOptions, SquareFit};
pub use markup::{Mark, MarkColour, Markup};
pub use mask::{MaskEdits, MaskGrid};
pub use prepare::{MaskInput, PreparedEdit, prepare};
