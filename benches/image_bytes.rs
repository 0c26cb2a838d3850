//! Bytes each way of drawing writes, counted on a sink (a Vec), for a
//! 240×240 thumbnail of a photo-like 1024² picture: kitty's first show,
//! showing it again, a page of 12 after scrolling one row, a frame that
//! changes nothing; sixel against `chafa -f sixels` for the same pixel box
//! when chafa is installed. Prints a table; `cargo bench --bench image_bytes`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/photo.rs"]
mod photo;

use std::process::Command;
use std::sync::Arc;

use artty::images::graphics::{Graphics, TerminalImages};
use artty::images::kitty::Route;
use artty::images::layer::{Layer, Placement};
use artty::images::prepared::Prepared;
use artty::images::thumbnail::PixelBox;
use base64::Engine;
use ratatui::layout::Rect;

const BOX: PixelBox = PixelBox {
    width: 240,
    height: 240,
};
const CELL: (u16, u16) = (10, 20);

fn terminal(graphics: Graphics) -> TerminalImages {
    TerminalImages {
        graphics,
        cell: CELL,
        palette: artty::images::graphics::Palette::Rgb,
        sixel_max: artty::images::graphics::DEFAULT_SIXEL_MAX,
        animate: true,
    }
}

fn main() {
    let pictures: Vec<Vec<u8>> = (0..16)
        .map(|seed| photo::photo_png(1024, 1024, seed))
        .collect();
    let kitty: Vec<Arc<Prepared>> = prepare(&pictures, Graphics::Kitty(Route::Direct));
    let png_b64 = base64::engine::general_purpose::STANDARD
        .encode(&kitty[0].payload)
        .len();

    let mut layer = Layer::new(terminal(Graphics::Kitty(Route::Direct)));
    let first = frame(&mut layer, &[place(&kitty, 0, 0, 0)]);
    let mut layer_again = Layer::new(terminal(Graphics::Kitty(Route::Direct)));
    frame(&mut layer_again, &[place(&kitty, 0, 0, 0)]);
    frame(&mut layer_again, &[]);
    let again = frame(&mut layer_again, &[place(&kitty, 0, 0, 0)]);
    let unchanged = frame(&mut layer_again, &[place(&kitty, 0, 0, 0)]);

    // A 4×3 grid of 24×13-cell tiles; scrolling one row shows images 4..16.
    let page = |first: usize| -> Vec<Placement> {
        (0..12)
            .map(|slot| {
                place(
                    &kitty,
                    first + slot,
                    (slot % 4) as u16 * 25,
                    (slot / 4) as u16 * 13,
                )
            })
            .collect()
    };
    let mut grid = Layer::new(terminal(Graphics::Kitty(Route::Direct)));
    frame(&mut grid, &page(0));
    let scrolled = frame(&mut grid, &page(4));
    let new_thumbs: usize = (12..16).map(|i| sent_size(&kitty[i])).sum();

    println!("kitty, 240x240 thumbnail of a 1024x1024 photo-like PNG");
    println!("  PNG {} B, in base64 {png_b64} B", kitty[0].payload.len());
    println!("  first show            {first:>7} B  (target <= {png_b64} + chunk headers)");
    println!("  show again            {again:>7} B  (target <= 64)");
    println!("  unchanged frame       {unchanged:>7} B  (target 0)");
    println!(
        "  page of 12, one row   {scrolled:>7} B  = {} B control + {new_thumbs} B for 4 new thumbnails (target <= 2048 + new)",
        scrolled - new_thumbs
    );

    let sixel = prepare(&pictures[..1], Graphics::Sixel);
    println!("sixel, same thumbnail: {} B", sixel[0].payload.len());
    match chafa_sixel(&pictures[0]) {
        Some(bytes) => println!("  chafa -f sixels, same 240x240 box: {bytes} B"),
        None => println!("  chafa not installed: no comparison"),
    }
}

fn prepare(pictures: &[Vec<u8>], graphics: Graphics) -> Vec<Arc<Prepared>> {
    pictures
        .iter()
        .map(|png| {
            Arc::new(
                Prepared::from_image_bytes(png, BOX, graphics)
                    .expect("thumbnail")
                    .prepared,
            )
        })
        .collect()
}

fn place(images: &[Arc<Prepared>], index: usize, x: u16, y: u16) -> Placement {
    Placement {
        frame: 0,
        id: index as u32 + 1,
        area: Rect::new(x, y, 24, 12),
        image: images[index].clone(),
    }
}

fn frame(layer: &mut Layer, placements: &[Placement]) -> usize {
    let mut out = Vec::new();
    layer.before_draw(placements, &mut out);
    layer.after_draw(placements, &mut out);
    out.len()
}

fn sent_size(image: &Prepared) -> usize {
    let mut out = Vec::new();
    artty::images::kitty::transmit(Route::Direct, 1, &image.payload, &mut out);
    out.len()
}

/// chafa's sixel for the same 240×240 box (cells of 8×8 pixels when no
/// terminal answers, so 30×30 cells).
fn chafa_sixel(png: &[u8]) -> Option<usize> {
    let dir = tempfile::tempdir().ok()?;
    let source = dir.path().join("thumb.png");
    let thumb = Prepared::from_image_bytes(png, BOX, Graphics::Kitty(Route::Direct)).ok()?;
    std::fs::write(&source, thumb.png?).ok()?;
    let output = Command::new("chafa")
        .args(["-f", "sixels", "-s", "30x30", "--font-ratio", "1/1"])
        .arg(&source)
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout.len())
}
