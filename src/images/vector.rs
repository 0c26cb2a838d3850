//! Drawing SVG results as pixels, with resvg, for thumbnails and the
//! preview. Runs on the blocking pool like every decode. The SVG is the
//! server's text and is not trusted: images it links are never fetched
//! (only `data:` URLs are read), and it is drawn straight at the box size,
//! so a huge `width` costs nothing.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::pixels::{PixelBox, Thumbnail, ThumbnailError, fit};

/// The system's fonts, loaded once, for SVG text.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            Arc::new(db)
        })
        .clone()
}

fn options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    // Linked files (`href="/etc/…"`, `file:`, `http:`) are never read.
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    options
}

/// Draws SVG markup fitted into `into`, aspect kept, on a transparent background.
pub fn rasterise(bytes: &[u8], into: PixelBox) -> Result<Thumbnail, ThumbnailError> {
    let decode = |e: &dyn std::fmt::Display| ThumbnailError::Decode(format!("SVG: {e}"));
    let tree = usvg::Tree::from_data(bytes, &options()).map_err(|e| decode(&e))?;
    let size = tree.size();
    let (sw, sh) = (size.width().max(1.0), size.height().max(1.0));
    // Vector art has no pixel size: scale the long side to the box.
    let (w, h) = fit(sw.ceil() as u32, sh.ceil() as u32, into);
    let (w, h) = (w.max(1), h.max(1));
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| decode(&"an empty picture"))?;
    let scale = tiny_skia::Transform::from_scale(w as f32 / sw, h as f32 / sh);
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    Ok(Thumbnail {
        width: w,
        height: h,
        rgba: unpremultiply(pixmap.take()),
    })
}

/// tiny-skia keeps premultiplied alpha; thumbnails are straight alpha.
fn unpremultiply(mut rgba: Vec<u8>) -> Vec<u8> {
    for pixel in rgba.chunks_exact_mut(4) {
        let alpha = u16::from(pixel[3]);
        if alpha != 0 && alpha != 255 {
            for channel in &mut pixel[..3] {
                *channel = ((u16::from(*channel) * 255 + alpha / 2) / alpha).min(255) as u8;
            }
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: PixelBox = PixelBox {
        width: 64,
        height: 64,
    };

    #[test]
    fn draws_at_the_box_size_with_the_aspect_kept() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="1000"><rect width="2000" height="1000" fill="#ff0000"/></svg>"##;
        let thumb = rasterise(svg, BOX).unwrap();
        assert_eq!((thumb.width, thumb.height), (64, 32));
        assert_eq!(&thumb.rgba[..4], &[255, 0, 0, 255]);
    }

    #[test]
    fn linked_files_are_not_read() {
        // A real picture on disk, which resvg's default resolver would draw.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("red.png");
        let red = image::RgbaImage::from_pixel(10, 10, image::Rgba([255, 0, 0, 255]));
        red.save(&path).unwrap();
        let link = |href: String| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="{href}"/></svg>"#
            )
        };
        for href in [
            path.display().to_string(),
            format!("file://{}", path.display()),
        ] {
            let thumb = rasterise(link(href.clone()).as_bytes(), BOX).unwrap();
            assert!(thumb.rgba.chunks(4).all(|p| p[3] == 0), "{href} was drawn");
        }
        // An inline picture is drawn.
        let mut png = Vec::new();
        red.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let data = format!(
            "data:image/png;base64,{}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &png)
        );
        let thumb = rasterise(link(data).as_bytes(), BOX).unwrap();
        assert!(
            thumb.rgba.chunks(4).any(|p| p == [255, 0, 0, 255]),
            "the data: URL was drawn"
        );
    }

    #[test]
    fn not_svg_is_an_error() {
        assert!(rasterise(b"<html></html>", BOX).is_err());
        assert!(rasterise(b"\xff\xfe", BOX).is_err());
    }
}
