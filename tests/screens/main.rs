//! The real binary on real terminals: driven through tmux, and drawn in
//! xterm (sixel) and kitty under an Xvfb of each test's own, with
//! screenshots. One binary, so the crate is linked once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/tools.rs"]
mod tools;

mod terminals;

mod real_terminals;
mod tmux;
