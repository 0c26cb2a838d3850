//! Checks on the project itself rather than on what artty does: the
//! architecture the code keeps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
