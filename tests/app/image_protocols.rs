//! What each way of drawing writes, for small deterministic pictures,
//! snapshot-tested byte for byte (ESC shown as ⎋); and the thumbnail
//! worker's disk cache.

use artty::effect::thumbnailer::make;
use artty::effect::{ThumbnailFrom, ThumbnailRequest};
use artty::images::graphics::Graphics;
use artty::images::kitty::{self, Route};
use artty::images::prepared::Prepared;
use artty::images::thumbnail::{PixelBox, Thumbnail};
use artty::model::thumbs::{Source, ThumbKey};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// 6×12 pixels: a red-to-blue ramp down, green across.
fn ramp() -> Thumbnail {
    let rgba = (0..12u32)
        .flat_map(|y| {
            (0..6u32).map(move |x| [(255 - y * 20) as u8, (x * 50) as u8, (y * 20) as u8, 255])
        })
        .flatten()
        .collect();
    Thumbnail {
        width: 6,
        height: 12,
        rgba,
    }
}

fn shown(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\x1b', "⎋")
}

#[test]
fn kitty_sends_png_once_then_places_by_id() {
    let png = ramp().to_png().unwrap();
    let mut out = Vec::new();
    kitty::transmit(Route::Direct, 7, &png, &mut out);
    kitty::place(7, 1, 3, 2, &mut out);
    kitty::hide_placement(Route::Direct, 7, 1, &mut out);
    insta::assert_snapshot!("kitty_direct", shown(&out));
}

#[test]
fn kitty_through_tmux_is_wrapped_with_a_virtual_placement() {
    let png = ramp().to_png().unwrap();
    let mut out = Vec::new();
    kitty::transmit(Route::Tmux, 7, &png, &mut out);
    kitty::place_virtual(Route::Tmux, 7, 2, 1, &mut out);
    insta::assert_snapshot!("kitty_tmux", shown(&out));
}

#[test]
fn sixel_of_a_ramp() {
    let prepared = Prepared::from_pixels(
        &ramp(),
        PixelBox {
            width: 6,
            height: 12,
        },
        Graphics::Sixel,
    )
    .unwrap();
    insta::assert_snapshot!("sixel_ramp", readable_sixel(&shown(&prepared.payload)));
}

/// A sixel image laid out for a reviewer: the header, how many colour
/// registers are defined, the ones the bands use (with their colour), and
/// each band's rows one per line (`#n` picks a register, `!k` repeats,
/// `$` goes back to the band's start).
fn readable_sixel(text: &str) -> String {
    let body = text
        .strip_prefix("⎋P")
        .and_then(|t| t.strip_suffix("⎋\\"))
        .expect("a sixel image is framed by DCS and ST");
    let (header, rest) = body.split_once('#').expect("a palette follows the header");
    let mut registers = std::collections::BTreeMap::new();
    let mut bands = Vec::new();
    let mut band = String::new();
    for piece in format!("#{rest}").split_inclusive(['-']) {
        for part in piece.split('#').filter(|p| !p.is_empty()) {
            let fields: Vec<&str> = part.splitn(5, ';').collect();
            if fields.len() == 5 && fields[1] == "2" {
                registers.insert(fields[0].to_string(), fields[2..].join(" "));
            } else {
                band.push('#');
                band.push_str(part);
            }
        }
        if piece.ends_with('-') || !band.is_empty() {
            bands.push(std::mem::take(&mut band).trim_end_matches('-').to_string());
        }
    }
    let used: std::collections::BTreeSet<u32> = bands
        .iter()
        .flat_map(|b| b.split('#').skip(1))
        .filter_map(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect();
    let mut out = format!("header: {header}\nregisters defined: {}\n", registers.len());
    for n in &used {
        let rgb = registers
            .get(&n.to_string())
            .map_or("(not defined)", String::as_str);
        out.push_str(&format!("  #{n} = rgb% {rgb}\n"));
    }
    for (i, band) in bands.iter().enumerate() {
        out.push_str(&format!("band {}:\n", i + 1));
        for row in band.split('$').filter(|r| !r.is_empty()) {
            out.push_str(&format!("  {row}\n"));
        }
    }
    out
}

#[test]
fn half_blocks_of_a_ramp() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 8, 6));
    artty::images::blocks::draw(
        &ramp(),
        Rect::new(0, 0, 8, 6),
        artty::images::graphics::Palette::Rgb,
        &mut buf,
    );
    let cells: Vec<String> = (0..6u16)
        .map(|y| {
            (0..8u16)
                .map(|x| {
                    let c = &buf[(x, y)];
                    format!("{}{:?}/{:?}", c.symbol(), c.fg, c.bg)
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    insta::assert_snapshot!("blocks_ramp", cells.join("\n"));
}

/// A 60×60 thumbnail of the file at `path`.
fn request_for(path: &std::path::Path, graphics: Graphics) -> ThumbnailRequest {
    ThumbnailRequest {
        key: ThumbKey {
            source: Source::Saved(path.to_path_buf()),
            size: PixelBox {
                width: 60,
                height: 60,
            },
        },
        from: ThumbnailFrom::File(path.to_path_buf()),
        graphics,
    }
}

fn png_file(dir: &std::path::Path, width: u32, height: u32) -> std::path::PathBuf {
    let path = dir.join("image.png");
    let rgba = (0..width * height)
        .flat_map(|i| [(i % 251) as u8, 90, 200, 255])
        .collect();
    let thumb = Thumbnail {
        width,
        height,
        rgba,
    };
    std::fs::write(&path, thumb.to_png().unwrap()).unwrap();
    path
}

#[test]
fn the_worker_keeps_thumbnails_on_disk_and_reads_them_back() {
    let home = tempfile::tempdir().unwrap();
    let image = png_file(home.path(), 300, 200);
    let cache = home.path().join("cache");
    let request = request_for(&image, Graphics::Kitty(Route::Direct));
    let first = make(&request, &cache).unwrap();
    assert_eq!((first.thumb.width, first.thumb.height), (60, 40));
    assert_eq!(&first.payload[..4], b"\x89PNG", "kitty gets the PNG");
    let files: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);

    // Put a different picture in the cache file: the next request must use it,
    // which shows the full-size image is not decoded again.
    let marker = Thumbnail {
        width: 3,
        height: 3,
        rgba: vec![255; 36],
    };
    std::fs::write(files[0].path(), marker.to_png().unwrap()).unwrap();
    let again = make(&request, &cache).unwrap();
    assert_eq!((again.thumb.width, again.thumb.height), (3, 3));

    // A damaged cache file is rebuilt from the image.
    std::fs::write(files[0].path(), b"damaged").unwrap();
    let rebuilt = make(&request, &cache).unwrap();
    assert_eq!((rebuilt.thumb.width, rebuilt.thumb.height), (60, 40));
}

#[test]
fn an_unreadable_image_is_an_error_not_a_panic() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("broken.png");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let request = request_for(&path, Graphics::Sixel);
    let err = make(&request, &home.path().join("cache")).unwrap_err();
    assert!(err.contains("cannot be decoded"), "{err}");
}
