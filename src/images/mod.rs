//! Image bytes and images on the terminal: recognising formats, the
//! synthetic pictures the fake server returns, thumbnails (decode, resize,
//! encode), the terminal's graphics abilities and every way of drawing
//! (kitty, sixel, iTerm2 through viuer, half blocks). The only module that
//! uses the `image` crate and viuer.

pub mod animation;
pub mod blocks;
pub mod cache;
pub mod contact_sheet;
pub mod detect;
pub mod graphics;
pub mod inline;
pub mod iterm;
pub mod kitty;
pub mod layer;
pub mod lettering;
pub mod mode;
pub mod pixels;
pub mod prepared;
pub mod probe;
pub mod sixel;
pub mod synthetic;
pub mod synthetic_motion;
pub mod thumbnail;
pub mod tmux;
pub mod vector;
pub mod verify;
