//! The kitty graphics protocol, written by hand because viuer's printer
//! sends raw RGBA on every call with no image id. Here an image is sent
//! once, as PNG, under an id; showing it again is a placement by id (about
//! 50 bytes), and hiding it keeps the data so it can come back for free.
//!
//! Inside tmux, images are shown with unicode placeholders instead: the
//! cells hold U+10EEEE with the row and column as diacritics and the image
//! id as the foreground colour. They are ordinary text to tmux, so they
//! scroll, clip and get covered like text; only the transfer goes through
//! tmux's passthrough.

pub use super::mode::Route;
use base64::Engine;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

/// Base64 bytes per chunk; the protocol's limit.
const CHUNK: usize = 4096;

/// The cell character of a unicode placeholder.
pub const PLACEHOLDER: char = '\u{10EEEE}';

/// Row and column numbers of placeholders, from kitty's
/// rowcolumn-diacritics.txt (index i stands for i). Larger images are cut.
pub const DIACRITICS: [char; 128] = [
    '\u{0305}', '\u{030D}', '\u{030E}', '\u{0310}', '\u{0312}', '\u{033D}', '\u{033E}', '\u{033F}',
    '\u{0346}', '\u{034A}', '\u{034B}', '\u{034C}', '\u{0350}', '\u{0351}', '\u{0352}', '\u{0357}',
    '\u{035B}', '\u{0363}', '\u{0364}', '\u{0365}', '\u{0366}', '\u{0367}', '\u{0368}', '\u{0369}',
    '\u{036A}', '\u{036B}', '\u{036C}', '\u{036D}', '\u{036E}', '\u{036F}', '\u{0483}', '\u{0484}',
    '\u{0485}', '\u{0486}', '\u{0487}', '\u{0592}', '\u{0593}', '\u{0594}', '\u{0595}', '\u{0597}',
    '\u{0598}', '\u{0599}', '\u{059C}', '\u{059D}', '\u{059E}', '\u{059F}', '\u{05A0}', '\u{05A1}',
    '\u{05A8}', '\u{05A9}', '\u{05AB}', '\u{05AC}', '\u{05AF}', '\u{05C4}', '\u{0610}', '\u{0611}',
    '\u{0612}', '\u{0613}', '\u{0614}', '\u{0615}', '\u{0616}', '\u{0617}', '\u{0657}', '\u{0658}',
    '\u{0659}', '\u{065A}', '\u{065B}', '\u{065D}', '\u{065E}', '\u{06D6}', '\u{06D7}', '\u{06D8}',
    '\u{06D9}', '\u{06DA}', '\u{06DB}', '\u{06DC}', '\u{06DF}', '\u{06E0}', '\u{06E1}', '\u{06E2}',
    '\u{06E4}', '\u{06E7}', '\u{06E8}', '\u{06EB}', '\u{06EC}', '\u{0730}', '\u{0732}', '\u{0733}',
    '\u{0735}', '\u{0736}', '\u{073A}', '\u{073D}', '\u{073F}', '\u{0740}', '\u{0741}', '\u{0743}',
    '\u{0745}', '\u{0747}', '\u{0749}', '\u{074A}', '\u{07EB}', '\u{07EC}', '\u{07ED}', '\u{07EE}',
    '\u{07EF}', '\u{07F0}', '\u{07F1}', '\u{07F3}', '\u{0816}', '\u{0817}', '\u{0818}', '\u{0819}',
    '\u{081B}', '\u{081C}', '\u{081D}', '\u{081E}', '\u{081F}', '\u{0820}', '\u{0821}', '\u{0822}',
    '\u{0823}', '\u{0825}', '\u{0826}', '\u{0827}', '\u{0829}', '\u{082A}', '\u{082B}', '\u{082C}',
];

fn command(route: Route, control: &str, payload: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(b"\x1b_G");
    out.extend_from_slice(control.as_bytes());
    if !payload.is_empty() {
        out.push(b';');
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(b"\x1b\\");
    if route == Route::Tmux {
        let inner = out.split_off(start);
        super::tmux::wrap(&inner, out);
    }
}

/// Sends PNG bytes under `id`, in chunks, asking for errors only (`q=1`):
/// a failure comes back as a report naming the id.
pub fn transmit(route: Route, id: u32, png: &[u8], out: &mut Vec<u8>) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(png);
    let chunks: Vec<&[u8]> = encoded.as_bytes().chunks(CHUNK).collect();
    let last = chunks.len().saturating_sub(1);
    if chunks.is_empty() {
        return;
    }
    for (at, chunk) in chunks.iter().enumerate() {
        let more = u8::from(at < last);
        let control = if at == 0 {
            format!("a=t,f=100,t=d,i={id},q=1,m={more}")
        } else {
            format!("m={more}")
        };
        command(route, &control, chunk, out);
    }
}

/// Gives image `id` (whose first frame was transmitted) its later frames
/// and their times, then sets it looping: kitty plays it from then on,
/// with nothing more from the app, and stops drawing it when it is hidden.
pub fn animate(route: Route, id: u32, image: &super::prepared::Prepared, out: &mut Vec<u8>) {
    let gap = |index: usize| image.delays_ms.get(index).copied().unwrap_or(100).max(1);
    command(route, &format!("a=a,i={id},r=1,z={},q=2", gap(0)), &[], out);
    for (index, frame) in image.frames.iter().enumerate() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&frame.payload);
        let chunks: Vec<&[u8]> = encoded.as_bytes().chunks(CHUNK).collect();
        let last = chunks.len().saturating_sub(1);
        for (at, chunk) in chunks.iter().enumerate() {
            let more = u8::from(at < last);
            // Every chunk names the frame action and image: kitty 0.26
            // (Debian 12) reads a bare `m=` continuation of a frame as a new
            // edit of frame 2, so later frames were lost (seen under Xvfb).
            let control = if at == 0 {
                format!("a=f,i={id},f=100,z={},q=2,m={more}", gap(index + 1))
            } else {
                format!("a=f,i={id},q=2,m={more}")
            };
            command(route, &control, chunk, out);
        }
    }
    // s=3: run, looping; v=1: loop forever.
    command(route, &format!("a=a,i={id},s=3,v=1,q=2"), &[], out);
}

/// Shows image `id` with its top-left corner at the cell (column, row),
/// zero-based, at its own pixel size. The cursor does not move (`C=1`),
/// and the same placement id moves an earlier placement instead of adding
/// one. Errors only come back (`q=1`): `ENOENT` when the terminal no longer
/// holds the image, which is then sent again.
pub fn place(id: u32, placement: u32, column: u16, row: u16, out: &mut Vec<u8>) {
    out.extend_from_slice(format!("\x1b[{};{}H", row + 1, column + 1).as_bytes());
    command(
        Route::Direct,
        &format!("a=p,i={id},p={placement},C=1,q=1"),
        &[],
        out,
    );
}

/// Shows image `id` at the cursor, which then moves past it, as `icat`
/// does: for pictures printed by the command line, in the flow of text.
pub fn place_at_cursor(route: Route, id: u32, out: &mut Vec<u8>) {
    command(route, &format!("a=p,i={id},q=1"), &[], out);
}

/// Makes a virtual placement of `columns`×`rows` cells for unicode
/// placeholders to show.
pub fn place_virtual(route: Route, id: u32, columns: u16, rows: u16, out: &mut Vec<u8>) {
    let control = format!("a=p,U=1,i={id},c={columns},r={rows},q=1");
    command(route, &control, &[], out);
}

/// Hides one placement of image `id`, keeping the data.
pub fn hide_placement(route: Route, id: u32, placement: u32, out: &mut Vec<u8>) {
    command(
        route,
        &format!("a=d,d=i,i={id},p={placement},q=2"),
        &[],
        out,
    );
}

/// Hides image `id` and frees its data in the terminal.
pub fn forget(route: Route, id: u32, out: &mut Vec<u8>) {
    command(route, &format!("a=d,d=I,i={id},q=2"), &[], out);
}

/// Deletes every placement and frees every image's data.
pub fn forget_all(route: Route, out: &mut Vec<u8>) {
    command(route, "a=d,d=A,q=2", &[], out);
}

/// Hides every image on the screen, keeping their data.
pub fn hide_all(route: Route, out: &mut Vec<u8>) {
    command(route, "a=d,d=a,q=2", &[], out);
}

/// The text of one placeholder cell: the image's row and column.
pub fn placeholder_cell(row: usize, column: usize) -> Option<String> {
    let row = DIACRITICS.get(row)?;
    let column = DIACRITICS.get(column)?;
    Some([PLACEHOLDER, *row, *column].iter().collect())
}

/// Fills `target` with the placeholder cells of image `id` (inside tmux).
pub fn draw_placeholders(id: u32, target: Rect, buf: &mut Buffer) {
    let (r, g, b) = id_colour(id);
    for row in 0..target.height {
        for column in 0..target.width {
            let (Some(text), Some(cell)) = (
                placeholder_cell(usize::from(row), usize::from(column)),
                buf.cell_mut((target.x + column, target.y + row)),
            ) else {
                continue;
            };
            cell.set_symbol(&text).set_fg(Color::Rgb(r, g, b));
        }
    }
}

/// The foreground colour that names image `id` to the terminal (24 bits).
pub fn id_colour(id: u32) -> (u8, u8, u8) {
    ((id >> 16) as u8, (id >> 8) as u8, id as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).replace('\x1b', "⎋")
    }

    #[test]
    fn transmits_in_chunks_and_places_by_id() {
        let png = vec![7u8; 4000]; // 5336 base64 bytes: two chunks
        let mut out = Vec::new();
        transmit(Route::Direct, 42, &png, &mut out);
        let shown = text(&out);
        assert!(
            shown.starts_with("⎋_Ga=t,f=100,t=d,i=42,q=1,m=1;"),
            "{shown:.60}"
        );
        assert!(
            shown.contains("⎋\\⎋_Gm=0;"),
            "the second chunk ends the transfer"
        );
        assert_eq!(shown.matches("⎋_G").count(), 2);

        let mut out = Vec::new();
        place(42, 1, 9, 4, &mut out);
        assert_eq!(text(&out), "⎋[5;10H⎋_Ga=p,i=42,p=1,C=1,q=1⎋\\");
        assert!(out.len() <= 64);
    }

    #[test]
    fn animations_send_every_frame_with_its_time_then_loop() {
        let thumb = |v: u8| crate::images::thumbnail::Thumbnail {
            width: 1,
            height: 1,
            rgba: vec![v, v, v, 255],
        };
        let image = crate::images::prepared::Prepared {
            frames: vec![
                crate::images::prepared::Frame {
                    thumb: thumb(1),
                    payload: b"F2".to_vec(),
                },
                crate::images::prepared::Frame {
                    thumb: thumb(2),
                    payload: b"F3".to_vec(),
                },
            ],
            delays_ms: vec![120, 200, 0],
            ..crate::images::prepared::Prepared::still(thumb(0), b"F1".to_vec())
        };
        let mut out = Vec::new();
        animate(Route::Direct, 9, &image, &mut out);
        let sent = text(&out);
        let commands: Vec<&str> = sent.split("⎋\\").filter(|c| !c.is_empty()).collect();
        assert_eq!(
            commands,
            [
                "⎋_Ga=a,i=9,r=1,z=120,q=2",
                "⎋_Ga=f,i=9,f=100,z=200,q=2,m=0;RjI=",
                // A frame that says 0 ms still gets a gap kitty accepts.
                "⎋_Ga=f,i=9,f=100,z=1,q=2,m=0;RjM=",
                "⎋_Ga=a,i=9,s=3,v=1,q=2",
            ]
        );
        // A frame too large for one chunk repeats the action on every chunk.
        let big = crate::images::prepared::Prepared {
            frames: vec![crate::images::prepared::Frame {
                thumb: thumb(1),
                payload: vec![7; CHUNK],
            }],
            ..image.clone()
        };
        let mut out = Vec::new();
        animate(Route::Direct, 9, &big, &mut out);
        let sent = text(&out);
        let chunks: Vec<&str> = sent.split("⎋\\").filter(|c| c.contains(';')).collect();
        assert!(chunks.len() >= 2, "{chunks:?}");
        assert!(
            chunks[1..]
                .iter()
                .all(|c| c.starts_with("⎋_Ga=f,i=9,q=2,m=")),
            "{chunks:?}"
        );
    }

    #[test]
    fn hiding_keeps_data_and_forgetting_frees_it() {
        let mut out = Vec::new();
        hide_placement(Route::Direct, 3, 1, &mut out);
        forget(Route::Direct, 3, &mut out);
        hide_all(Route::Direct, &mut out);
        assert_eq!(
            text(&out),
            "⎋_Ga=d,d=i,i=3,p=1,q=2⎋\\⎋_Ga=d,d=I,i=3,q=2⎋\\⎋_Ga=d,d=a,q=2⎋\\"
        );
    }

    #[test]
    fn through_tmux_every_command_is_wrapped() {
        let mut out = Vec::new();
        place_virtual(Route::Tmux, 5, 24, 12, &mut out);
        assert_eq!(text(&out), "⎋Ptmux;⎋⎋_Ga=p,U=1,i=5,c=24,r=12,q=1⎋⎋\\⎋\\");
    }

    #[test]
    fn placeholder_cells_carry_row_and_column() {
        assert_eq!(
            placeholder_cell(0, 2).unwrap(),
            "\u{10EEEE}\u{0305}\u{030E}"
        );
        assert_eq!(placeholder_cell(128, 0), None);
        assert_eq!(id_colour(0x0A0B0C), (10, 11, 12));
    }
}
