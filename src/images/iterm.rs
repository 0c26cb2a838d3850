//! iTerm2 inline images, printed by viuer. viuer is kept from probing the
//! terminal (kitty and sixel off: its probes block on stdin with no
//! timeout while the app's reader runs) and is handed the thumbnail
//! already at its box's pixel size. It writes to stdout itself and ends
//! with a newline, so callers keep images off the last row.

use image::{DynamicImage, RgbaImage};
use ratatui::layout::Rect;

use super::thumbnail::Thumbnail;

/// Prints `thumb` over the cells of `target` (zero-based).
pub fn print(thumb: &Thumbnail, target: Rect) -> Result<(), String> {
    let pixels = RgbaImage::from_raw(thumb.width, thumb.height, thumb.rgba.clone())
        .ok_or("the thumbnail's pixels do not match its size")?;
    let config = viuer::Config {
        absolute_offset: true,
        x: target.x,
        y: target.y as i16,
        width: Some(u32::from(target.width)),
        height: Some(u32::from(target.height)),
        use_kitty: false,
        use_iterm: true,
        restore_cursor: false,
        ..viuer::Config::default()
    };
    viuer::print(&DynamicImage::ImageRgba8(pixels), &config)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// viuer's own check of the environment (TERM_PROGRAM, LC_TERMINAL,
/// KONSOLE_VERSION); it reads no input.
pub fn supported() -> bool {
    viuer::is_iterm_supported()
}
