//! Sixel, encoded here rather than by viuer's printer: viuer only reaches
//! its sixel printer after probing the terminal itself (a blocking read of
//! stdin with no timeout), and it resizes for an assumed 6×12 cell. This
//! encoder takes the thumbnail at the box's exact pixel size, picks a
//! 128-colour palette with NeuQuant, without dithering (dithered thumbnails
//! are noisier and much larger on the wire), and run-length codes each
//! six-row band, skipping the colours a band does not use.

use color_quant::NeuQuant;

use super::thumbnail::Thumbnail;

/// NeuQuant's sampling factor: 1 looks at every pixel, 30 at one in 30.
/// 10 keeps palette quality while learning stays under a few milliseconds.
const SAMPLING: i32 = 10;
/// 128 colours: against 256, a third fewer bytes (each colour a band
/// uses costs a line of its own) for little visible loss at thumbnail size.
const COLOURS: usize = 128;
/// Pixels less opaque than this are left unpainted (the terminal's
/// background shows), the rest are blended over the backdrop.
const OPAQUE_ENOUGH: u8 = 128;

/// Appends the sixel image of `thumb` to `out`.
pub fn encode(thumb: &Thumbnail, backdrop: [u8; 3], out: &mut Vec<u8>) {
    let (width, height) = (thumb.width as usize, thumb.height as usize);
    if width == 0 || height == 0 {
        return;
    }
    let pixels: Vec<u8> = (0..thumb.height)
        .flat_map(|y| (0..thumb.width).map(move |x| (x, y)))
        .flat_map(|(x, y)| {
            let [r, g, b] = thumb.pixel_over(x, y, backdrop);
            [r, g, b, 255]
        })
        .collect();
    let quant = NeuQuant::new(SAMPLING, COLOURS, &pixels);
    let indices: Vec<Option<u8>> = pixels
        .chunks_exact(4)
        .zip(thumb.rgba.chunks_exact(4))
        .map(|(p, original)| (original[3] >= OPAQUE_ENOUGH).then(|| quant.index_of(p) as u8))
        .collect();
    out.extend_from_slice(format!("\x1bP0;1;0q\"1;1;{width};{height}").as_bytes());
    palette(&quant.color_map_rgb(), out);
    let mut bands = Bands::new(width);
    for top in (0..height).step_by(6) {
        if top > 0 {
            out.push(b'-');
        }
        let rows = &indices[top * width..(top + 6).min(height) * width];
        bands.write(rows, out);
    }
    out.extend_from_slice(b"\x1b\\");
}

/// Colour registers, in percent as the format wants.
fn palette(rgb: &[u8], out: &mut Vec<u8>) {
    let percent = |c: u8| u32::from(c) * 100 / 255;
    for (index, c) in rgb.chunks_exact(3).enumerate() {
        let (r, g, b) = (percent(c[0]), percent(c[1]), percent(c[2]));
        out.extend_from_slice(format!("#{index};2;{r};{g};{b}").as_bytes());
    }
}

/// Scratch space for one six-row band, reused across bands.
struct Bands {
    width: usize,
    /// One bit per row of the band, per colour and column.
    masks: Vec<Vec<u8>>,
    used: Vec<usize>,
}

impl Bands {
    fn new(width: usize) -> Bands {
        Bands {
            width,
            masks: vec![Vec::new(); COLOURS],
            used: Vec::new(),
        }
    }

    fn write(&mut self, rows: &[Option<u8>], out: &mut Vec<u8>) {
        for (at, index) in rows.iter().enumerate() {
            let Some(index) = index else { continue };
            let mask = &mut self.masks[usize::from(*index)];
            if mask.is_empty() {
                mask.resize(self.width, 0);
                self.used.push(usize::from(*index));
            }
            mask[at % self.width] |= 1 << (at / self.width);
        }
        self.used.sort_unstable();
        for (n, &colour) in self.used.iter().enumerate() {
            if n > 0 {
                out.push(b'$');
            }
            out.extend_from_slice(format!("#{colour}").as_bytes());
            run_length(&self.masks[colour], out);
            self.masks[colour].clear();
        }
        self.used.clear();
    }
}

/// Writes sixel characters, runs of four or more as `!count`, and drops
/// the empty tail of the line.
fn run_length(mask: &[u8], out: &mut Vec<u8>) {
    let end = mask.iter().rposition(|&m| m != 0).map_or(0, |at| at + 1);
    let mut at = 0;
    while at < end {
        let value = mask[at];
        let run = mask[at..end].iter().take_while(|&&m| m == value).count();
        let char = b'?' + value;
        if run >= 4 {
            out.extend_from_slice(format!("!{run}").as_bytes());
            out.push(char);
        } else {
            out.extend(std::iter::repeat_n(char, run));
        }
        at += run;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_counted_and_empty_tails_dropped() {
        let mut out = Vec::new();
        run_length(&[1, 1, 1, 1, 1, 0, 2, 0, 0], &mut out);
        assert_eq!(out, b"!5@?A");
    }

    #[test]
    fn a_two_colour_image_has_two_registers_per_band() {
        // 4×7: top six rows red, the last row blue; two bands.
        let mut rgba = Vec::new();
        for y in 0..7 {
            for _ in 0..4 {
                rgba.extend_from_slice(if y < 6 {
                    &[255, 0, 0, 255]
                } else {
                    &[0, 0, 255, 255]
                });
            }
        }
        let thumb = Thumbnail {
            width: 4,
            height: 7,
            rgba,
        };
        let mut out = Vec::new();
        encode(&thumb, [0, 0, 0], &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("\x1bP0;1;0q\"1;1;4;7#0;2;"), "{text:.40}");
        assert!(text.ends_with("\x1b\\"));
        let last_register = format!("#{};2;", COLOURS - 1);
        let body = &text[text.rfind(&last_register).unwrap()..];
        let bands: Vec<&str> = body.split('-').collect();
        assert_eq!(bands.len(), 2, "{body}");
        assert!(bands[0].ends_with("!4~"), "six red rows: {}", bands[0]);
        assert!(
            bands[1].ends_with("!4@\u{1b}\\"),
            "one blue row: {}",
            bands[1]
        );
    }

    #[test]
    fn see_through_pixels_are_left_unpainted() {
        let thumb = Thumbnail {
            width: 2,
            height: 1,
            rgba: vec![9, 9, 9, 0, 9, 9, 9, 0],
        };
        let mut out = Vec::new();
        encode(&thumb, [0, 0, 0], &mut out);
        let text = String::from_utf8(out).unwrap();
        let last_register = format!("#{};2;", COLOURS - 1);
        let body = &text[text.rfind(&last_register).unwrap() + last_register.len()..];
        assert!(!body.contains('#'), "no colour is selected: {body}");
    }
}
