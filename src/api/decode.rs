//! Turning returned data into checked image bytes.

use base64::Engine;
use bytes::Bytes;

use super::error::ApiError;
use crate::images::probe::{ImageInfo, probe};

/// Decodes `b64_json` and checks that the bytes are an image.
pub fn decode_b64_image(
    b64: &str,
    request_id: Option<&str>,
) -> Result<(Bytes, ImageInfo), ApiError> {
    let bad = |detail: String| ApiError::BadImage {
        detail,
        request_id: request_id.map(str::to_string),
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| bad(format!("invalid base64 ({e})")))?;
    let info = probe(&bytes).map_err(|e| bad(e.to_string()))?;
    Ok((Bytes::from(bytes), info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_base64_and_non_images() {
        assert!(matches!(
            decode_b64_image("!!!not base64", None),
            Err(ApiError::BadImage { .. })
        ));
        let text = base64::engine::general_purpose::STANDARD.encode("just some text");
        let err = decode_b64_image(&text, Some("req_1")).unwrap_err();
        assert_eq!(err.request_id(), Some("req_1"));
    }
}
