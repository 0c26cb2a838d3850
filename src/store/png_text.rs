//! Putting the prompt and parameters inside a PNG as `iTXt` chunks, so an
//! image keeps its story even when copied away from its sidecar.

/// Returns the PNG with one UTF-8 `iTXt` chunk per `(keyword, text)` added
/// before `IEND`. Bytes that are not a well-formed PNG end are returned as they are.
pub fn with_text_chunks(png: &[u8], entries: &[(&str, &str)]) -> Vec<u8> {
    const IEND_LEN: usize = 12; // length, type, CRC
    let ends_well = png.len() >= 8 + IEND_LEN && &png[png.len() - 8..png.len() - 4] == b"IEND";
    if !ends_well {
        return png.to_vec();
    }
    let split = png.len() - IEND_LEN;
    let mut out = Vec::with_capacity(
        png.len()
            + entries
                .iter()
                .map(|(k, t)| k.len() + t.len() + 17)
                .sum::<usize>(),
    );
    out.extend_from_slice(&png[..split]);
    for (keyword, text) in entries {
        push_chunk(&mut out, b"iTXt", &itxt_body(keyword, text));
    }
    out.extend_from_slice(&png[split..]);
    out
}

fn itxt_body(keyword: &str, text: &str) -> Vec<u8> {
    // keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL, text
    let keyword: String = keyword
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(79)
        .collect();
    let mut body = Vec::with_capacity(keyword.len() + text.len() + 5);
    body.extend_from_slice(keyword.as_bytes());
    body.extend_from_slice(&[0, 0, 0, 0, 0]);
    body.extend_from_slice(text.as_bytes());
    body
}

fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(body);
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// Text and metadata chunks, which only the PNG's writer can vouch for.
const FOREIGN: [&[u8; 4]; 4] = [b"tEXt", b"zTXt", b"iTXt", b"eXIf"];

/// The PNG without the text and metadata chunks its maker put in, and
/// without anything after `IEND`: what a server wrote there is not
/// artty's to keep, and must never be read back as artty's own. Bytes
/// that do not walk as PNG chunks are returned as they are.
pub fn without_foreign_chunks(png: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(png.len());
    out.extend_from_slice(&png[..8.min(png.len())]);
    for (kind, chunk) in chunks(png) {
        if !FOREIGN.contains(&kind) {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return out;
        }
    }
    png.to_vec()
}

/// The pixel data: every `IDAT` body, in order.
pub fn image_data(png: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    for (kind, chunk) in chunks(png) {
        if kind == b"IDAT" {
            data.extend_from_slice(&chunk[8..chunk.len() - 4]);
        }
    }
    data
}

/// Each whole chunk (length, type, body, CRC) with its type, up to the
/// first that runs past the end.
fn chunks(png: &[u8]) -> impl Iterator<Item = (&[u8; 4], &[u8])> {
    let mut at = 8;
    std::iter::from_fn(move || {
        let len = u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?) as usize;
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = png.get(at..end)?;
        let kind: &[u8; 4] = chunk[4..8].try_into().ok()?;
        at = end;
        Some((kind, chunk))
    })
}

/// Reads back the `iTXt` chunks (keyword, text) of a PNG.
pub fn read_text_chunks(png: &[u8]) -> Vec<(String, String)> {
    chunks(png)
        .filter(|(kind, _)| *kind == b"iTXt")
        .filter_map(|(_, chunk)| {
            let body = &chunk[8..chunk.len() - 4];
            let nul = body.iter().position(|&b| b == 0)?;
            let text = body.get(nul + 5..)?;
            Some((
                String::from_utf8_lossy(&body[..nul]).into_owned(),
                String::from_utf8_lossy(text).into_owned(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::probe::{ImageFormat, probe};
    use crate::images::synthetic::Synthetic;

    #[test]
    fn chunks_round_trip_and_png_stays_valid() {
        let png = Synthetic {
            width: 8,
            height: 8,
            seed: 3,
            transparent: false,
            coarseness: 1,
        }
        .encode(ImageFormat::Png);
        let tagged = with_text_chunks(
            &png,
            &[("prompt", "a café at dusk ☕"), ("parameters", "{\"n\":1}")],
        );
        assert_eq!(
            read_text_chunks(&tagged),
            [
                ("prompt".into(), "a café at dusk ☕".into()),
                ("parameters".into(), "{\"n\":1}".into())
            ]
        );
        let decoded = image::load_from_memory(&tagged).unwrap();
        assert_eq!(decoded.width(), 8);
        assert_eq!(probe(&tagged).unwrap().format, ImageFormat::Png);
    }

    #[test]
    fn text_and_metadata_chunks_of_others_are_dropped_and_the_pixels_kept() {
        let png = Synthetic {
            width: 8,
            height: 8,
            seed: 4,
            transparent: false,
            coarseness: 1,
        }
        .encode(ImageFormat::Png);
        let mut forged = with_text_chunks(&png, &[("artty-sidecar", "{\"forged\":1}")]);
        forged.extend_from_slice(b"trailing bytes after IEND");
        let clean = without_foreign_chunks(&forged);
        assert!(read_text_chunks(&clean).is_empty());
        assert_eq!(clean, png, "exactly the image, nothing after IEND");
        assert_eq!(image_data(&clean), image_data(&png));
        assert!(!image_data(&png).is_empty());
        assert_eq!(without_foreign_chunks(b"nope"), b"nope");
    }

    #[test]
    fn non_png_bytes_pass_through() {
        assert_eq!(with_text_chunks(b"nope", &[("k", "v")]), b"nope");
    }
}
