//! Masks as the API takes them: a PNG the size of the first source image
//! whose alpha is 0 where the image may change and 255 elsewhere
//! (optionally feathered: a ramp a few pixels wide outside the painted
//! area, which never touches the painted pixels themselves).

use std::io::Cursor;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, RgbaImage};

use super::mask::{MaskGrid, span};

/// Alpha below this counts as "to edit" when a mask file is read.
const TRANSPARENT_BELOW: u8 = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaskError {
    #[error("the mask cannot be read: {0}")]
    Decode(String),
    #[error("the mask has no alpha channel; transparent pixels mark the area to edit")]
    NoAlpha,
    #[error("the mask cannot be written: {0}")]
    Encode(String),
}

/// The alpha of every pixel of a `width`×`height` mask for `grid`.
pub fn alpha(grid: &MaskGrid, width: u32, height: u32, feather: u32) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut out = vec![255u8; w * h];
    for row in 0..u32::from(grid.rows) {
        let mut line = vec![255u8; w];
        for col in 0..u32::from(grid.cols) {
            if grid.get(col as u16, row as u16) {
                line[span(col, u32::from(grid.cols), width).start as usize
                    ..span(col, u32::from(grid.cols), width).end as usize]
                    .fill(0);
            }
        }
        for y in span(row, u32::from(grid.rows), height) {
            out[y as usize * w..(y as usize + 1) * w].copy_from_slice(&line);
        }
    }
    if feather > 0 {
        feathered(&mut out, w, h, feather);
    }
    out
}

/// Ramps the alpha up over `feather` pixels from the painted area, by a
/// two-pass chessboard distance transform.
fn feathered(alpha: &mut [u8], w: usize, h: usize, feather: u32) {
    const FAR: u32 = u32::MAX / 2;
    let mut dist: Vec<u32> = alpha
        .iter()
        .map(|a| if *a == 0 { 0 } else { FAR })
        .collect();
    for y in 0..h {
        for x in 0..w {
            let mut d = dist[y * w + x];
            if x > 0 {
                d = d.min(dist[y * w + x - 1] + 1);
            }
            if y > 0 {
                d = d.min(dist[(y - 1) * w + x] + 1);
                if x > 0 {
                    d = d.min(dist[(y - 1) * w + x - 1] + 1);
                }
                if x + 1 < w {
                    d = d.min(dist[(y - 1) * w + x + 1] + 1);
                }
            }
            dist[y * w + x] = d;
        }
    }
    for y in (0..h).rev() {
        for x in (0..w).rev() {
            let mut d = dist[y * w + x];
            if x + 1 < w {
                d = d.min(dist[y * w + x + 1] + 1);
            }
            if y + 1 < h {
                d = d.min(dist[(y + 1) * w + x] + 1);
                if x + 1 < w {
                    d = d.min(dist[(y + 1) * w + x + 1] + 1);
                }
                if x > 0 {
                    d = d.min(dist[(y + 1) * w + x - 1] + 1);
                }
            }
            dist[y * w + x] = d;
        }
    }
    for (a, d) in alpha.iter_mut().zip(dist) {
        if d > 0 && d <= feather {
            *a = (255 * d / (feather + 1)) as u8;
        }
    }
}

/// The mask PNG (black, alpha as above) at exactly `width`×`height`.
pub fn export(
    grid: &MaskGrid,
    width: u32,
    height: u32,
    feather: u32,
) -> Result<Vec<u8>, MaskError> {
    let alpha = alpha(grid, width, height, feather);
    let mut rgba = Vec::with_capacity(alpha.len() * 4);
    for a in alpha {
        rgba.extend_from_slice(&[0, 0, 0, a]);
    }
    encode(&rgba, width, height)
}

fn encode(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, MaskError> {
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Adaptive)
        .write_image(rgba, width, height, ExtendedColorType::Rgba8)
        .map_err(|e| MaskError::Encode(e.to_string()))?;
    Ok(png)
}

fn decode(bytes: &[u8]) -> Result<RgbaImage, MaskError> {
    let image = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MaskError::Decode(e.to_string()))?
        .decode()
        .map_err(|e| MaskError::Decode(e.to_string()))?;
    if !image.color().has_alpha() {
        return Err(MaskError::NoAlpha);
    }
    Ok(image.into_rgba8())
}

/// Reads a mask file into a grid of about `cols`×`rows` cells: a cell is
/// painted when most of its pixels are transparent. Returns the grid and
/// the mask's own pixel size.
pub fn load(bytes: &[u8], cols: u16, rows: u16) -> Result<(MaskGrid, (u32, u32)), MaskError> {
    let image = decode(bytes)?;
    let (width, height) = image.dimensions();
    let mut grid = MaskGrid::for_image(cols, rows, width, height);
    for row in 0..grid.rows {
        let ys = span(u32::from(row), u32::from(grid.rows), height);
        for col in 0..grid.cols {
            let xs = span(u32::from(col), u32::from(grid.cols), width);
            let total = u64::from(xs.len() as u32) * u64::from(ys.len() as u32);
            let clear = ys
                .clone()
                .flat_map(|y| xs.clone().map(move |x| (x, y)))
                .filter(|(x, y)| image.get_pixel(*x, *y).0[3] < TRANSPARENT_BELOW)
                .count() as u64;
            grid.set(col, row, clear * 2 > total);
        }
    }
    Ok((grid, (width, height)))
}

/// A mask file brought to `width`×`height` (nearest neighbour, so alpha
/// stays 0 or 255 where it was) and re-encoded as RGBA PNG.
pub fn resized(bytes: &[u8], width: u32, height: u32) -> Result<Vec<u8>, MaskError> {
    let image = decode(bytes)?;
    let image = super::resample::resample(image, width, height, false);
    encode(image.as_raw(), width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded_alpha(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let image = image::load_from_memory(png).unwrap().into_rgba8();
        let (w, h) = image.dimensions();
        (w, h, image.pixels().map(|p| p.0[3]).collect())
    }

    fn sample_grid() -> MaskGrid {
        let mut grid = MaskGrid::new(7, 5);
        grid.rect((1, 1), (3, 2), true);
        grid.set(6, 4, true);
        grid
    }

    #[test]
    fn export_is_the_source_size_with_alpha_zero_exactly_on_painted_cells() {
        let grid = sample_grid();
        for (w, h) in [(1024, 1024), (1536, 1024), (333, 101)] {
            let (ew, eh, alpha) = decoded_alpha(&export(&grid, w, h, 0).unwrap());
            assert_eq!((ew, eh), (w, h));
            for y in 0..h {
                for x in 0..w {
                    let col = (0..7).find(|c| span(*c, 7, w).contains(&x)).unwrap();
                    let row = (0..5).find(|r| span(*r, 5, h).contains(&y)).unwrap();
                    let want = if grid.get(col as u16, row as u16) {
                        0
                    } else {
                        255
                    };
                    assert_eq!(
                        alpha[(y * w + x) as usize],
                        want,
                        "pixel {x},{y} of {w}x{h}"
                    );
                }
            }
        }
    }

    #[test]
    fn feathering_keeps_painted_pixels_and_stays_within_its_width() {
        let grid = sample_grid();
        let (w, h, feather) = (140, 100, 6);
        let plain = alpha(&grid, w, h, 0);
        let soft = alpha(&grid, w, h, feather);
        let painted: Vec<(i64, i64)> = (0..h as i64)
            .flat_map(|y| (0..w as i64).map(move |x| (x, y)))
            .filter(|(x, y)| plain[(*y * w as i64 + *x) as usize] == 0)
            .collect();
        for y in 0..h as i64 {
            for x in 0..w as i64 {
                let i = (y * w as i64 + x) as usize;
                if plain[i] == 0 {
                    assert_eq!(soft[i], 0);
                    continue;
                }
                let near = painted
                    .iter()
                    .map(|(px, py)| (px - x).abs().max((py - y).abs()))
                    .min()
                    .unwrap();
                if near > i64::from(feather) {
                    assert_eq!(soft[i], 255, "{x},{y} is {near} px away");
                } else {
                    assert!(
                        soft[i] < 255 && soft[i] > 0,
                        "{x},{y} at {near} px: {}",
                        soft[i]
                    );
                }
            }
        }
    }

    #[test]
    fn a_mask_round_trips_through_its_png() {
        let grid = sample_grid();
        let png = export(&grid, 1536, 1024, 0).unwrap();
        let (loaded, size) = load(&png, 7, 5).unwrap();
        assert_eq!(size, (1536, 1024));
        assert_eq!(loaded, grid);
    }

    #[test]
    fn a_mask_without_alpha_is_refused_and_a_wrong_size_is_resized() {
        let rgb = image::RgbImage::new(8, 8);
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(rgb.as_raw(), 8, 8, ExtendedColorType::Rgb8)
            .unwrap();
        assert_eq!(load(&png, 4, 4).unwrap_err(), MaskError::NoAlpha);

        let small = export(&sample_grid(), 70, 50, 0).unwrap();
        let big = resized(&small, 700, 500).unwrap();
        let (w, h, alpha) = decoded_alpha(&big);
        assert_eq!((w, h), (700, 500));
        assert!(alpha.iter().all(|a| *a == 0 || *a == 255));
        assert_eq!(load(&big, 7, 5).unwrap().0, sample_grid());
    }
}
