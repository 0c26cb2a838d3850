//! Animated and vector pictures for the fake server: a GIF whose disc
//! travels across the frames, at the frame count and frame time asked for,
//! and an SVG of the same picture as markup.

use super::synthetic::Synthetic;

/// Colours in the GIF palette: a gradient in 15 steps and the disc.
const STEPS: u8 = 15;

impl Synthetic {
    /// An animated GIF of `frames` frames of `frame_ms` each (rounded to
    /// the 10 ms the format counts in), looping forever.
    pub fn encode_gif(&self, frames: u8, frame_ms: u32) -> Vec<u8> {
        let (w, h) = (
            self.width.clamp(1, 4096) as u16,
            self.height.clamp(1, 4096) as u16,
        );
        let palette = self.gif_palette();
        let mut out = Vec::new();
        let written = (|| -> Result<(), gif::EncodingError> {
            let mut encoder = gif::Encoder::new(&mut out, w, h, &palette)?;
            encoder.set_repeat(gif::Repeat::Infinite)?;
            for index in 0..frames.max(1) {
                let pixels = self.gif_frame(index, frames.max(1), (w, h));
                let mut frame = gif::Frame::from_indexed_pixels(w, h, pixels, None);
                frame.delay = (frame_ms.div_ceil(10)).min(u32::from(u16::MAX)) as u16;
                encoder.write_frame(&frame)?;
            }
            Ok(())
        })();
        // An in-memory encode of valid frames does not fail; an empty answer
        // makes the client's image check say so if it ever does.
        if written.is_err() {
            out.clear();
        }
        out
    }

    fn gif_palette(&self) -> Vec<u8> {
        let pick = |shift: u32| {
            [
                (self.seed >> shift) as u8,
                (self.seed >> (shift + 8)) as u8,
                (self.seed >> (shift + 16)) as u8,
            ]
        };
        let (from, to, disc) = (pick(0), pick(24), pick(40));
        let mut palette = Vec::with_capacity(3 * usize::from(STEPS + 1));
        for step in 0..STEPS {
            let t = u32::from(step) * 255 / u32::from(STEPS - 1);
            for c in 0..3 {
                let mix = (u32::from(from[c]) * (255 - t) + u32::from(to[c]) * t) / 255;
                palette.push(mix as u8);
            }
        }
        palette.extend_from_slice(&disc);
        palette
    }

    /// Frame `index`: the gradient, and the disc moved along a diagonal.
    fn gif_frame(&self, index: u8, frames: u8, (w, h): (u16, u16)) -> Vec<u8> {
        let (w, h) = (u64::from(w), u64::from(h));
        let radius = w.min(h) / 5 + 1;
        let travel = u64::from(index) * 1000 / u64::from(frames);
        let cx = radius + (w.saturating_sub(2 * radius)) * travel / 1000;
        let cy = radius + (h.saturating_sub(2 * radius)) * travel / 1000;
        let mut pixels = Vec::with_capacity((w * h) as usize);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x.abs_diff(cx), y.abs_diff(cy));
                pixels.push(if dx * dx + dy * dy <= radius * radius {
                    STEPS
                } else {
                    ((x + y) * u64::from(STEPS - 1) / (w + h)) as u8
                });
            }
        }
        pixels
    }

    /// The picture as SVG markup: a gradient and a disc, at the size asked.
    pub fn encode_svg(&self) -> Vec<u8> {
        let colour = |shift: u32| format!("#{:06x}", (self.seed >> shift) & 0xff_ffff);
        let (w, h) = (self.width.max(1), self.height.max(1));
        let cx = (self.seed >> 8) % u64::from(w);
        let cy = (self.seed >> 20) % u64::from(h);
        let r = w.min(h) / 4 + 1;
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="{from}"/><stop offset="1" stop-color="{to}"/>
  </linearGradient></defs>
  <rect width="{w}" height="{h}" fill="url(#g)"/>
  <circle cx="{cx}" cy="{cy}" r="{r}" fill="{disc}"/>
</svg>
"#,
            from = colour(0),
            to = colour(24),
            disc = colour(40),
        )
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::probe::{Animation, ImageFormat, probe};

    fn picture() -> Synthetic {
        Synthetic {
            width: 64,
            height: 48,
            seed: 7,
            transparent: false,
            coarseness: 1,
        }
    }

    #[test]
    fn gifs_have_the_frames_and_time_asked_for() {
        let info = probe(&picture().encode_gif(4, 120)).unwrap();
        assert_eq!(
            (info.format, info.width, info.height),
            (ImageFormat::Gif, 64, 48)
        );
        assert_eq!(
            info.animation,
            Some(Animation {
                frames: 4,
                frame_ms: 120
            })
        );
    }

    #[test]
    fn svgs_are_well_formed_at_the_size_asked_for() {
        let info = probe(&picture().encode_svg()).unwrap();
        assert_eq!(
            (info.format, info.width, info.height),
            (ImageFormat::Svg, 64, 48)
        );
    }
}
