//! A deterministic photo-like picture for the image benchmarks: several
//! octaves of smooth value noise per channel, which PNG compresses about as
//! badly as a real photograph (a flat test card would flatter every codec).

use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

pub fn photo_rgb(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let octaves: Vec<(f32, Vec<f32>)> = [8u32, 16, 32, 64, 128]
        .iter()
        .map(|&grid| {
            (
                grid as f32,
                (0..(grid + 2) * (grid + 2) * 3)
                    .map(|_| rng.f32())
                    .collect(),
            )
        })
        .collect();
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            for channel in 0..3 {
                let mut value = 0.0;
                let mut weight = 0.5;
                for (grid, lattice) in &octaves {
                    let fx = x as f32 / width as f32 * grid;
                    let fy = y as f32 / height as f32 * grid;
                    value += weight * smooth(lattice, *grid as usize + 2, fx, fy, channel);
                    weight *= 0.5;
                }
                out.push((value * 255.0).clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

fn smooth(lattice: &[f32], stride: usize, fx: f32, fy: f32, channel: usize) -> f32 {
    let (x0, y0) = (fx as usize, fy as usize);
    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
    let (sx, sy) = (tx * tx * (3.0 - 2.0 * tx), ty * ty * (3.0 - 2.0 * ty));
    let at = |x: usize, y: usize| lattice[(y * stride + x) * 3 + channel];
    let top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * sx;
    let bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * sx;
    top + (bottom - top) * sy
}

pub fn photo_png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(
            &photo_rgb(width, height, seed),
            width,
            height,
            ExtendedColorType::Rgb8,
        )
        .expect("encoding a picture in memory");
    png
}
