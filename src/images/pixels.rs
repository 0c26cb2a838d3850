//! Pixels in memory: an RGBA picture of a known size, the box it must fit
//! and the size it takes there. Decoding and encoding are `thumbnail.rs`,
//! `verify.rs` and `vector.rs`, which all share these.

/// A box in pixels that an image is fitted into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PixelBox {
    pub width: u32,
    pub height: u32,
}

/// Straight-alpha RGBA pixels, at most the size of the box they were made for.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thumbnail({}x{})", self.width, self.height)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThumbnailError {
    #[error("the image cannot be decoded: {0}")]
    Decode(String),
    #[error("the image cannot be resized: {0}")]
    Resize(String),
    #[error("the thumbnail cannot be encoded: {0}")]
    Encode(String),
}

/// The largest size with the image's aspect ratio that fits the box.
pub fn fit(width: u32, height: u32, into: PixelBox) -> (u32, u32) {
    if width == 0 || height == 0 || into.width == 0 || into.height == 0 {
        return (0, 0);
    }
    let by_width = (
        u64::from(into.width),
        u64::from(height) * u64::from(into.width) / u64::from(width),
    );
    let (w, h) = if by_width.1 <= u64::from(into.height) {
        by_width
    } else {
        (
            u64::from(width) * u64::from(into.height) / u64::from(height),
            u64::from(into.height),
        )
    };
    ((w as u32).max(1), (h as u32).max(1))
}

/// An RGBA pixel blended over `backdrop` where it is see-through.
pub fn blend_over(p: &[u8], backdrop: [u8; 3]) -> [u8; 3] {
    let a = u16::from(p[3]);
    if a == 255 {
        return [p[0], p[1], p[2]];
    }
    let blend = |c: u8, b: u8| ((u16::from(c) * a + u16::from(b) * (255 - a)) / 255) as u8;
    [
        blend(p[0], backdrop[0]),
        blend(p[1], backdrop[1]),
        blend(p[2], backdrop[2]),
    ]
}
