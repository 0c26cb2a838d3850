//! Sixel, encoded here rather than by viuer's printer: viuer only reaches
//! its sixel printer after probing the terminal itself (a blocking read of
//! stdin with no timeout), and it resizes for an assumed 6×12 cell. This
//! encoder takes the thumbnail at the box's exact pixel size, picks a
//! 128-colour palette with NeuQuant, without dithering (dithered thumbnails
//! are noisier and much larger on the wire), and run-length codes each
//! six-row band, skipping the colours a band does not use.

use color_quant::NeuQuant;

use super::thumbnail::Thumbnail;

/// NeuQuant learns from one pixel in `sampling` (1 to 30), chosen so it
/// sees about this many: a 240² thumbnail's 57,600 pixels give one in 28,
/// and learning takes about 1 ms instead of 4 at one in 10; a small
/// picture is learnt from every pixel (too few samples and NeuQuant's
/// palette never leaves its initial greys).
const SAMPLES: usize = 2048;
/// Up to this many pixels a picture is a thumbnail, made by the dozen while
/// a page fills: learnt from a sample and looked up through a cache. A
/// larger one is a full-size preview, made once and looked at closely:
/// learnt from one pixel in ten and each pixel looked up exactly, since a
/// cache cell maps a smooth gradient's neighbouring shades to one colour
/// and the preview shows that as bands.
const THUMBNAIL_PIXELS: usize = 256 * 256;
const LARGE_SAMPLING: i32 = 10;
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
    let (rgb, indices) = quantise(thumb, backdrop);
    out.extend_from_slice(format!("\x1bP0;1;0q\"1;1;{width};{height}").as_bytes());
    let mut used = [false; COLOURS];
    for index in indices.iter().flatten() {
        used[usize::from(*index)] = true;
    }
    palette(&rgb, &used, out);
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

/// The palette (RGB triples) and each pixel's register; `None` where the
/// pixel is left unpainted.
fn quantise(thumb: &Thumbnail, backdrop: [u8; 3]) -> (Vec<u8>, Vec<Option<u8>>) {
    let mut pixels = Vec::with_capacity(thumb.rgba.len());
    for p in thumb.rgba.chunks_exact(4) {
        let [r, g, b] = super::pixels::blend_over(p, backdrop);
        pixels.extend_from_slice(&[r, g, b, 255]);
    }
    if let Some(exact) = exact_palette(&pixels, &thumb.rgba) {
        return exact;
    }
    let count = pixels.len() / 4;
    let large = count > THUMBNAIL_PIXELS;
    let sampling = if large {
        LARGE_SAMPLING
    } else {
        (count / SAMPLES).clamp(1, 30) as i32
    };
    let quant = NeuQuant::new(sampling, COLOURS, &pixels);
    let mut nearest = Nearest::new(&quant, !large);
    let indices = pixels
        .chunks_exact(4)
        .zip(thumb.rgba.chunks_exact(4))
        .map(|(p, original)| (original[3] >= OPAQUE_ENOUGH).then(|| nearest.index_of(p)))
        .collect();
    (quant.color_map_rgb(), indices)
}

/// A picture of at most `COLOURS` colours (a flat drawing, a cell-sized
/// picture) gets exactly its own colours, in the order met; `None` for
/// more, found within the first few hundred pixels of a photo.
fn exact_palette(pixels: &[u8], rgba: &[u8]) -> Option<(Vec<u8>, Vec<Option<u8>>)> {
    let mut registers: std::collections::HashMap<[u8; 3], u8> = Default::default();
    let mut palette = Vec::new();
    let mut indices = Vec::with_capacity(pixels.len() / 4);
    for (p, original) in pixels.chunks_exact(4).zip(rgba.chunks_exact(4)) {
        if original[3] < OPAQUE_ENOUGH {
            indices.push(None);
            continue;
        }
        let colour = [p[0], p[1], p[2]];
        let next = registers.len();
        let index = *registers.entry(colour).or_insert_with(|| {
            palette.extend_from_slice(&colour);
            next as u8
        });
        if registers.len() > COLOURS {
            return None;
        }
        indices.push(Some(index));
    }
    Some((palette, indices))
}

/// NeuQuant's nearest colour, remembered per 5-bit-a-channel cell of the
/// colour cube: a photo's 57,600 pixels fall in a few thousand cells, so
/// the palette is searched a few thousand times instead of once a pixel
/// (that search was a seventh of a thumbnail's time). Two colours in one
/// cell differ by at most 7 in each channel, well under the spacing of a
/// 128-colour palette.
struct Nearest<'a> {
    quant: &'a NeuQuant,
    /// `UNKNOWN` until the cell is first met; empty when every pixel is
    /// looked up exactly.
    cells: Vec<u8>,
}

const UNKNOWN: u8 = u8::MAX;
const _: () = assert!(COLOURS <= UNKNOWN as usize);

impl<'a> Nearest<'a> {
    fn new(quant: &'a NeuQuant, cached: bool) -> Nearest<'a> {
        Nearest {
            quant,
            cells: if cached {
                vec![UNKNOWN; 1 << 15]
            } else {
                Vec::new()
            },
        }
    }

    fn index_of(&mut self, rgba: &[u8]) -> u8 {
        if self.cells.is_empty() {
            return self.quant.index_of(rgba) as u8;
        }
        let cell = (usize::from(rgba[0] >> 3) << 10)
            | (usize::from(rgba[1] >> 3) << 5)
            | usize::from(rgba[2] >> 3);
        if self.cells[cell] == UNKNOWN {
            self.cells[cell] = self.quant.index_of(rgba) as u8;
        }
        self.cells[cell]
    }
}

/// Colour registers, in percent as the format wants; only those a pixel
/// uses (a flat picture learns 128 colours and uses a few dozen).
fn palette(rgb: &[u8], used: &[bool; COLOURS], out: &mut Vec<u8>) {
    let percent = |c: u8| u32::from(c) * 100 / 255;
    for (index, c) in rgb.chunks_exact(3).enumerate() {
        if !used[index] {
            continue;
        }
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
        assert!(text.starts_with("\x1bP0;1;0q\"1;1;4;7#"), "{text:.40}");
        assert!(text.ends_with("\x1b\\"));
        let (registers, body) = registers_and_body(&text);
        assert_eq!(registers, 2, "only the registers a pixel uses: {text}");
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
        let (registers, body) = registers_and_body(&text);
        assert_eq!(registers, 0, "{text}");
        assert!(!body.contains('#'), "no colour is selected: {body}");
    }

    /// The palette stays close to the picture at thumbnail size and at
    /// a cell's size: sampling and the colour-cell lookup must not cost
    /// visible colour (a tiny picture learnt from too few samples came
    /// out in greys).
    #[test]
    fn the_palette_stays_close_to_the_pixels() {
        for (width, height) in [(240, 240), (40, 30), (6, 12)] {
            let rgba: Vec<u8> = (0..height)
                .flat_map(|y| {
                    (0..width).flat_map(move |x| {
                        let r = (x * 255 / width) as u8;
                        let g = (y * 255 / height) as u8;
                        let b = ((x + y) * 255 / (width + height)) as u8;
                        [r, g, b, 255]
                    })
                })
                .collect();
            let thumb = Thumbnail {
                width,
                height,
                rgba,
            };
            let (palette, indices) = quantise(&thumb, [0, 0, 0]);
            let mut total = 0u64;
            for (p, index) in thumb.rgba.chunks_exact(4).zip(&indices) {
                let at = usize::from(index.unwrap()) * 3;
                for c in 0..3 {
                    total += u64::from(p[c].abs_diff(palette[at + c]));
                }
            }
            let mean = total as f64 / (indices.len() * 3) as f64;
            assert!(mean < 8.0, "{width}x{height}: mean channel error {mean:.1}");
            if width * height <= COLOURS as u32 {
                assert_eq!(mean, 0.0, "few enough pixels for their own colours");
            }
        }
    }

    /// How many colour registers the picture defines (`#n;2;r;g;b`), and
    /// the band data after them.
    fn registers_and_body(text: &str) -> (usize, &str) {
        let mut rest = &text[text.find('q').unwrap() + 1..];
        rest = &rest[rest.find('#').unwrap_or(rest.len() - 2)..];
        let mut registers = 0;
        while let Some(definition) = rest.strip_prefix('#').filter(|r| {
            let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
            r[digits..].starts_with(";2;")
        }) {
            registers += 1;
            let end = definition[1..]
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .map_or(definition.len(), |at| at + 1);
            rest = &definition[end..];
        }
        (registers, rest)
    }
}
