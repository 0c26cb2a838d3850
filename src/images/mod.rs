//! Image bytes: recognising formats, and drawing the synthetic pictures the
//! fake server returns. The only module that uses the `image` crate.

pub mod probe;
pub mod synthetic;
