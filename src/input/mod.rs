//! Terminal input, read by artty itself rather than crossterm's reader so
//! that every answer the terminal writes (to a query made at start-up or
//! at any time since) is recognised as an answer: kitty's graphics
//! replies, device attributes, sizes, versions, capabilities. crossterm's
//! reader types the ones it does not know as keys (`Gi=31;OK` in the
//! prompt). Keys and mouse events come out as crossterm's types, so the
//! keymap is unchanged.

pub mod decode;
pub mod keys;
pub mod reader;
pub mod report;

pub use decode::Input;
pub use report::Report;
