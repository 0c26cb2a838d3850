//! Telling what an image file is from its bytes, never from its name or a
//! server's claim: the format decides the file extension we save under.

use std::io::Cursor;

use image::ImageDecoder;

/// Image formats artty recognises in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Webp,
    Gif,
    Avif,
    /// SVG markup (UTF-8 text), made by GPT image models' vector output.
    Svg,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Webp => "webp",
            ImageFormat::Gif => "gif",
            ImageFormat::Avif => "avif",
            ImageFormat::Svg => "svg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Avif => "image/avif",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    /// The name people know the format by, for the screen (`PNG`, `JPEG`).
    pub fn label(self) -> String {
        self.api_name().to_ascii_uppercase()
    }

    /// The name the API uses for this format (`output_format`, edit inputs).
    pub fn api_name(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpeg",
            other => other.extension(),
        }
    }

    /// Recognise the format from the first bytes of a file.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageFormat::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else if bytes.len() >= 12
            && &bytes[4..8] == b"ftyp"
            && matches!(&bytes[8..12], b"avif" | b"avis")
        {
            Some(ImageFormat::Avif)
        } else if looks_like_svg(bytes) {
            Some(ImageFormat::Svg)
        } else {
            None
        }
    }
}

/// Text that opens like an SVG document: an XML declaration, a comment, a
/// doctype or the `<svg` element, after an optional BOM and white space.
/// Whether it really is one is for [`probe`] to say.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let head = &text[start..text.len().min(start + 64)];
    [&b"<?xml"[..], b"<svg", b"<!--", b"<!DOCTYPE svg"]
        .iter()
        .any(|open| head.starts_with(open))
}

/// An animated image's frame count and the time of its first frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Animation {
    pub frames: u32,
    pub frame_ms: u32,
}

/// More frames than any image model makes; past this a file is refused
/// rather than walked through.
const MAX_FRAMES: u32 = 1_000;

/// What a quick look at an image's header tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
    /// Frames of a GIF with more than one.
    pub animation: Option<Animation>,
}

/// Why bytes are not a usable image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    #[error("the data is not an image in a known format")]
    UnknownFormat,
    #[error("the {0} header is damaged: {1}")]
    BadHeader(&'static str, String),
}

/// Reads format, pixel size and alpha from the header, without decoding
/// pixels. A GIF is walked frame by frame (without decompressing them), so
/// a cut-off one is refused; an SVG is parsed, so text that is not
/// well-formed SVG is refused. AVIF is recognised with a size of 0×0.
pub fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let format = ImageFormat::sniff(bytes).ok_or(ProbeError::UnknownFormat)?;
    let header = |err: image::ImageError| ProbeError::BadHeader(format.api_name(), err.to_string());
    let mut animation = None;
    let (width, height, has_alpha) = match format {
        ImageFormat::Png => {
            dims(image::codecs::png::PngDecoder::new(Cursor::new(bytes)).map_err(header)?)
        }
        ImageFormat::Jpeg => {
            dims(image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes)).map_err(header)?)
        }
        ImageFormat::Webp => {
            dims(image::codecs::webp::WebPDecoder::new(Cursor::new(bytes)).map_err(header)?)
        }
        ImageFormat::Gif => {
            let gif = gif_info(bytes)?;
            animation = (gif.frames > 1).then_some(Animation {
                frames: gif.frames,
                frame_ms: gif.first_ms,
            });
            (gif.width, gif.height, gif.transparent)
        }
        ImageFormat::Svg => {
            let (w, h) = svg_size(bytes)?;
            (w, h, true)
        }
        ImageFormat::Avif => (0, 0, false),
    };
    Ok(ImageInfo {
        format,
        width,
        height,
        has_alpha,
        animation,
    })
}

struct GifInfo {
    width: u32,
    height: u32,
    frames: u32,
    first_ms: u32,
    transparent: bool,
}

fn gif_info(bytes: &[u8]) -> Result<GifInfo, ProbeError> {
    let bad = |e: &dyn std::fmt::Display| ProbeError::BadHeader("gif", e.to_string());
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::MIN.saturating_add(64 << 20),
    ));
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    let (mut frames, mut first_ms, mut transparent) = (0u32, 0u32, false);
    while let Some(frame) = decoder.next_frame_info().map_err(|e| bad(&e))? {
        if frames == 0 {
            first_ms = u32::from(frame.delay) * 10;
        }
        transparent |= frame.transparent.is_some();
        frames += 1;
        if frames > MAX_FRAMES {
            return Err(bad(&format!("more than {MAX_FRAMES} frames")));
        }
    }
    if frames == 0 || width == 0 || height == 0 {
        return Err(bad(&"no frames"));
    }
    Ok(GifInfo {
        width,
        height,
        frames,
        first_ms,
        transparent,
    })
}

/// The pixel size an SVG asks for: its `width` and `height`, else its
/// `viewBox`, else 1024² (vector art has no size of its own).
fn svg_size(bytes: &[u8]) -> Result<(u32, u32), ProbeError> {
    let bad = |e: &dyn std::fmt::Display| ProbeError::BadHeader("svg", e.to_string());
    let text = std::str::from_utf8(bytes).map_err(|e| bad(&e))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A doctype is common in SVG files; external entities are never
    // fetched (no resolver) and the node count is bounded.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|e| bad(&e))?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" {
        return Err(bad(&format!(
            "the root element is <{}>, not <svg>",
            root.tag_name().name()
        )));
    }
    let length = |name: &str| root.attribute(name).and_then(svg_length);
    let view_box = root.attribute("viewBox").and_then(|v| {
        let parts: Vec<f64> = v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        (parts.len() == 4).then(|| (parts[2], parts[3]))
    });
    let (w, h) = match (length("width"), length("height"), view_box) {
        (Some(w), Some(h), _) => (w, h),
        (_, _, Some((w, h))) => (w, h),
        _ => (1024.0, 1024.0),
    };
    let side = |v: f64| {
        if v.is_finite() && v >= 1.0 {
            v.min(65_535.0).round() as u32
        } else {
            1
        }
    };
    Ok((side(w), side(h)))
}

/// An SVG length in user units (`512`, `512px`); percentages and other
/// units say nothing about pixels.
fn svg_length(text: &str) -> Option<f64> {
    let number = text.trim().strip_suffix("px").unwrap_or(text.trim());
    number.parse::<f64>().ok()
}

fn dims(decoder: impl ImageDecoder) -> (u32, u32, bool) {
    let (w, h) = decoder.dimensions();
    (w, h, decoder.color_type().has_alpha())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_by_claim() {
        assert_eq!(
            ImageFormat::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            ImageFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageFormat::Webp)
        );
        assert_eq!(
            ImageFormat::sniff(b"\0\0\0\x1cftypavif"),
            Some(ImageFormat::Avif)
        );
        assert_eq!(ImageFormat::sniff(b"<html>"), None);
        assert_eq!(probe(b"hello world"), Err(ProbeError::UnknownFormat));
    }

    /// A 4×2 GIF of `frames` frames of `frame_ms` each.
    fn gif(frames: u8, frame_ms: u32) -> Vec<u8> {
        let picture = crate::images::synthetic::Synthetic {
            width: 4,
            height: 2,
            seed: 1,
            transparent: false,
            coarseness: 1,
        };
        picture.encode_gif(frames, frame_ms)
    }

    #[test]
    fn gifs_are_walked_frame_by_frame() {
        let info = probe(&gif(4, 120)).unwrap();
        assert_eq!(
            (info.format, info.width, info.height),
            (ImageFormat::Gif, 4, 2)
        );
        assert_eq!(
            info.animation,
            Some(Animation {
                frames: 4,
                frame_ms: 120
            })
        );
        assert_eq!(probe(&gif(1, 0)).unwrap().animation, None);
        let whole = gif(4, 120);
        let cut = &whole[..whole.len() - 8];
        assert!(probe(cut).is_err(), "a cut-off GIF is refused");
    }

    #[test]
    fn svgs_must_be_well_formed_svg() {
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="10" height="10"/></svg>"#;
        let info = probe(svg).unwrap();
        assert_eq!(
            (info.format, info.width, info.height),
            (ImageFormat::Svg, 640, 480)
        );
        let view_box =
            b"\xEF\xBB\xBF  <svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 300 150'/>";
        assert_eq!(probe(view_box).unwrap().width, 300);
        for broken in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>"[..],
            b"<?xml version='1.0'?><html><body/></html>",
            b"<svg width='10'",
            b"<!-- only a comment -->",
        ] {
            assert!(
                probe(broken).is_err(),
                "{}",
                String::from_utf8_lossy(broken)
            );
        }
        let huge = b"<svg xmlns='http://www.w3.org/2000/svg' width='1e30' height='-5'/>";
        let info = probe(huge).unwrap();
        assert_eq!((info.width, info.height), (65_535, 1));
    }

    #[test]
    fn damaged_png_header_is_an_error() {
        let err = probe(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert!(matches!(err, ProbeError::BadHeader("png", _)), "{err:?}");
    }
}
