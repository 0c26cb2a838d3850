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
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Webp => "webp",
            ImageFormat::Gif => "gif",
            ImageFormat::Avif => "avif",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Avif => "image/avif",
        }
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
        } else {
            None
        }
    }
}

/// What a quick look at an image's header tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
}

/// Why bytes are not a usable image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    #[error("the data is not an image in a known format")]
    UnknownFormat,
    #[error("the {0} header is damaged: {1}")]
    BadHeader(&'static str, String),
}

/// Reads format, pixel size and alpha from the header, without decoding pixels.
/// Formats artty cannot decode (gif, avif) are recognised with a size of 0×0.
pub fn probe(bytes: &[u8]) -> Result<ImageInfo, ProbeError> {
    let format = ImageFormat::sniff(bytes).ok_or(ProbeError::UnknownFormat)?;
    let header = |err: image::ImageError| ProbeError::BadHeader(format.api_name(), err.to_string());
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
        ImageFormat::Gif | ImageFormat::Avif => (0, 0, false),
    };
    Ok(ImageInfo {
        format,
        width,
        height,
        has_alpha,
    })
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

    #[test]
    fn damaged_png_header_is_an_error() {
        let err = probe(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert!(matches!(err, ProbeError::BadHeader("png", _)), "{err:?}");
    }
}
