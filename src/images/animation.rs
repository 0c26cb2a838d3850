//! Animated GIFs as thumbnails: every frame composited and fitted to the
//! box, with its time. Which frame shows at a moment is worked out from
//! the times, so drawing stays a pure function of the clock.

use std::io::Cursor;

use image::AnimationDecoder;
use image::codecs::gif::GifDecoder;

use super::thumbnail::{PixelBox, Thumbnail, ThumbnailError};

/// Frames kept of one animation; the API makes at most 16.
pub const MAX_FRAMES: usize = 64;
/// A canvas larger than this is not animated: each composited frame is
/// held whole while it is shrunk, and a GIF's canvas size is the sender's
/// word (a 20000² canvas of 1×1 frames is a few bytes).
const MAX_CANVAS_PIXELS: u64 = 4096 * 4096;
/// GIFs that say 0 ms (or less than this) per frame are played at this
/// pace, as browsers do.
const SLOWEST_FAST_FRAME_MS: u32 = 20;
const ZERO_DELAY_MS: u32 = 100;

/// Every frame of an animated GIF fitted to `into`, and each frame's time.
pub fn gif_frames(bytes: &[u8], into: PixelBox) -> Result<Vec<(Thumbnail, u32)>, ThumbnailError> {
    let decode = |e: &dyn std::fmt::Display| ThumbnailError::Decode(format!("GIF: {e}"));
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(|e| decode(&e))?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if u64::from(w) * u64::from(h) > MAX_CANVAS_PIXELS {
        return Err(decode(&format!("a {w}x{h} canvas is too large to animate")));
    }
    image::ImageDecoder::set_limits(&mut decoder, image::Limits::default())
        .map_err(|e| decode(&e))?;
    let mut frames = Vec::new();
    for frame in decoder.into_frames().take(MAX_FRAMES) {
        let frame = frame.map_err(|e| decode(&e))?;
        let (numerator, denominator) = frame.delay().numer_denom_ms();
        let ms = numerator.checked_div(denominator).unwrap_or(0);
        let buffer = frame.into_buffer();
        let (fw, fh) = buffer.dimensions();
        frames.push((
            Thumbnail::from_rgba(fw, fh, buffer.into_raw(), into)?,
            playable(ms),
        ));
    }
    if frames.is_empty() {
        return Err(decode(&"no frames"));
    }
    Ok(frames)
}

fn playable(ms: u32) -> u32 {
    if ms < SLOWEST_FAST_FRAME_MS {
        ZERO_DELAY_MS
    } else {
        ms
    }
}

/// The frame showing `elapsed_ms` after the animation started, looping.
pub fn frame_at(delays_ms: &[u32], elapsed_ms: u64) -> usize {
    let total: u64 = delays_ms.iter().map(|d| u64::from(*d)).sum();
    if total == 0 {
        return 0;
    }
    let mut at = elapsed_ms % total;
    for (index, delay) in delays_ms.iter().enumerate() {
        if at < u64::from(*delay) {
            return index;
        }
        at -= u64::from(*delay);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::synthetic::Synthetic;

    #[test]
    fn every_frame_is_fitted_with_its_time() {
        let picture = Synthetic {
            width: 96,
            height: 48,
            seed: 3,
            transparent: false,
            coarseness: 1,
        };
        let bytes = picture.encode_gif(5, 120);
        let into = PixelBox {
            width: 32,
            height: 32,
        };
        let frames = gif_frames(&bytes, into).unwrap();
        assert_eq!(frames.len(), 5);
        assert!(
            frames
                .iter()
                .all(|(t, ms)| (t.width, t.height, *ms) == (32, 16, 120))
        );
        assert_ne!(frames[0].0, frames[2].0, "the disc moves");
    }

    #[test]
    fn a_huge_canvas_of_tiny_frames_is_refused_before_anything_is_allocated() {
        let mut bytes = Vec::new();
        {
            let mut encoder =
                gif::Encoder::new(&mut bytes, 20_000, 20_000, &[0, 0, 0, 255, 0, 0]).unwrap();
            for _ in 0..3 {
                let frame = gif::Frame::from_indexed_pixels(1, 1, vec![1], None);
                encoder.write_frame(&frame).unwrap();
            }
        }
        assert!(bytes.len() < 200, "a few bytes: {}", bytes.len());
        let into = PixelBox {
            width: 64,
            height: 64,
        };
        let err = gif_frames(&bytes, into).unwrap_err();
        assert!(err.to_string().contains("too large to animate"), "{err}");
        // The still path has the decoder's allocation limits: an error, not 1.6 GB.
        assert!(
            crate::images::prepared::Prepared::from_image_bytes(
                &bytes,
                into,
                crate::images::graphics::Graphics::Blocks
            )
            .is_err()
        );
    }

    #[test]
    fn frames_follow_their_times_and_loop() {
        let delays = [100, 200, 100];
        assert_eq!(frame_at(&delays, 0), 0);
        assert_eq!(frame_at(&delays, 99), 0);
        assert_eq!(frame_at(&delays, 100), 1);
        assert_eq!(frame_at(&delays, 299), 1);
        assert_eq!(frame_at(&delays, 300), 2);
        assert_eq!(frame_at(&delays, 400), 0);
        assert_eq!(frame_at(&[], 5), 0);
        assert_eq!(playable(0), 100);
    }
}
