//! Terminal reports: the answers a terminal writes to the input when asked
//! (device attributes, sizes, kitty graphics replies, its name and version,
//! its capabilities, its colours). They are recognised here whenever they
//! arrive, at start-up or an hour later, so none is ever read as keys.

/// One answer from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// A kitty graphics reply: `ok` for `OK`, else the error text
    /// (`ENOENT:…` when the terminal no longer holds the image).
    Kitty {
        id: Option<u32>,
        ok: bool,
        message: String,
    },
    /// Primary Device Attributes (`CSI ? … c`); 4 among them means sixel.
    DeviceAttributes(Vec<u16>),
    /// A cell's width and height in pixels (`CSI 6 ; h ; w t`).
    CellPixels(u16, u16),
    /// The text area's width and height in pixels (`CSI 4 ; h ; w t`).
    AreaPixels(u16, u16),
    /// The largest sixel image, width and height (XTSMGRAPHICS).
    SixelMaximum(u32, u32),
    /// The terminal's name and version (XTVERSION), e.g. `kitty(0.26.5)`.
    Version(String),
    /// A terminfo capability (XTGETTCAP) and its value; `None` when the
    /// terminal said it has no such capability.
    Capability(String, Option<String>),
    /// The rendition a DECRQSS for SGR read back, e.g. `0;48:2::1:2:3`.
    Rendition(String),
    /// The default background colour (OSC 11), 8 bits per channel.
    Background([u8; 3]),
    /// Any other report: consumed, never typed.
    Other,
}

/// A report in a control sequence (`CSI params final`), or `None` when it is
/// a key or mouse event instead.
pub fn from_csi(params: &[u8], final_byte: u8) -> Option<Report> {
    if params.first() == Some(&b'<') {
        return None; // SGR mouse
    }
    let (marker, rest) = match params.first() {
        Some(m @ (b'?' | b'>' | b'=')) => (Some(*m), &params[1..]),
        _ => (None, params),
    };
    // Intermediates (`$`, ` `…) come after the numbers.
    let numbers_end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b';' || *b == b':'))
        .unwrap_or(rest.len());
    let intermediate = &rest[numbers_end..];
    let numbers: Vec<u32> = rest[..numbers_end]
        .split(|b| *b == b';')
        .map(|n| {
            std::str::from_utf8(n)
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    let small = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
    match (marker, final_byte, numbers.as_slice()) {
        (Some(b'?'), b'c', _) => Some(Report::DeviceAttributes(
            numbers.iter().map(|n| small(*n)).collect(),
        )),
        (Some(b'?'), b'S', [2, 0, w, h, ..]) => Some(Report::SixelMaximum(*w, *h)),
        (None, b't', [6, h, w]) if *h > 0 && *w > 0 => {
            Some(Report::CellPixels(small(*w), small(*h)))
        }
        (None, b't', [4, h, w]) if *h > 0 && *w > 0 => {
            Some(Report::AreaPixels(small(*w), small(*h)))
        }
        // Keyboard flags, secondary attributes, mode reports (`$y`), other
        // window reports and graphics attributes: answers, not keys.
        (Some(_), _, _) | (None, b't', _) => Some(Report::Other),
        _ if !intermediate.is_empty() => Some(Report::Other),
        // A cursor position report; `CSI 1 ; mods R` is F3 with modifiers.
        (None, b'R', [row, _]) if *row != 1 => Some(Report::Other),
        _ => None,
    }
}

/// The kind of string a sequence opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    /// `ESC _`: kitty graphics replies.
    Apc,
    /// `ESC P`: XTVERSION, XTGETTCAP, DECRQSS replies.
    Dcs,
    /// `ESC ]`: colour replies.
    Osc,
    /// `ESC X` and `ESC ^`: nothing artty asks for.
    Other,
}

/// What a terminal string (between its opener and ST or BEL) reports.
/// Every string is an answer: typed keys never take this form.
pub fn from_string(kind: StringKind, body: &[u8]) -> Report {
    match kind {
        StringKind::Apc => body.strip_prefix(b"G").map(kitty).unwrap_or(Report::Other),
        StringKind::Dcs => dcs(body),
        StringKind::Osc => osc(body),
        StringKind::Other => Report::Other,
    }
}

fn kitty(body: &[u8]) -> Report {
    let text = String::from_utf8_lossy(body);
    let (control, message) = text.split_once(';').unwrap_or((&text, ""));
    let id = control
        .split(',')
        .find_map(|pair| pair.strip_prefix("i="))
        .and_then(|id| id.parse().ok());
    Report::Kitty {
        id,
        ok: message == "OK",
        message: crate::util::inert::inert(message, 200),
    }
}

fn dcs(body: &[u8]) -> Report {
    let text = String::from_utf8_lossy(body);
    if let Some(version) = text.strip_prefix(">|") {
        return Report::Version(crate::util::inert::inert(version, 100));
    }
    if let Some(pairs) = text.strip_prefix("1+r") {
        // One capability per query, `hex(name)=hex(value)`.
        let (name, value) = pairs.split_once('=').unwrap_or((pairs, ""));
        return match unhex(name) {
            Some(name) => Report::Capability(name, Some(unhex(value).unwrap_or_default())),
            None => Report::Other,
        };
    }
    if let Some(name) = text.strip_prefix("0+r") {
        return match unhex(name) {
            Some(name) if !name.is_empty() => Report::Capability(name, None),
            _ => Report::Other,
        };
    }
    if let Some(rendition) = text.strip_prefix("1$r") {
        return Report::Rendition(crate::util::inert::inert(rendition, 100));
    }
    Report::Other
}

fn osc(body: &[u8]) -> Report {
    let text = String::from_utf8_lossy(body);
    let Some(spec) = text.strip_prefix("11;rgb:") else {
        return Report::Other;
    };
    let channels: Vec<u8> = spec
        .split('/')
        .filter_map(|c| {
            let value = u32::from_str_radix(c, 16).ok()?;
            let bits = 4 * u32::try_from(c.len())
                .ok()
                .filter(|n| (1..=4).contains(n))?;
            Some((value * 255 / ((1 << bits) - 1)) as u8)
        })
        .collect();
    match channels.as_slice() {
        [r, g, b] => Report::Background([*r, *g, *b]),
        _ => Report::Other,
    }
}

/// Hex-encoded text, as XTGETTCAP writes names and values.
fn unhex(hex: &str) -> Option<String> {
    if !hex.len().is_multiple_of(2) || hex.len() > 200 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok())
        .collect();
    Some(crate::util::inert::inert(
        &String::from_utf8_lossy(&bytes?),
        100,
    ))
}

/// Hex-encodes a capability name for an XTGETTCAP query.
pub fn hex(name: &str) -> String {
    name.bytes().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_sequence_reports() {
        assert_eq!(
            from_csi(b"?62;4;22", b'c'),
            Some(Report::DeviceAttributes(vec![62, 4, 22]))
        );
        assert_eq!(from_csi(b"6;20;10", b't'), Some(Report::CellPixels(10, 20)));
        assert_eq!(
            from_csi(b"4;480;800", b't'),
            Some(Report::AreaPixels(800, 480))
        );
        assert_eq!(
            from_csi(b"?2;0;1000;1000", b'S'),
            Some(Report::SixelMaximum(1000, 1000))
        );
        assert_eq!(from_csi(b"?2;3;0", b'S'), Some(Report::Other));
        assert_eq!(from_csi(b">1;4000;29", b'c'), Some(Report::Other));
        assert_eq!(from_csi(b"?2026;2$", b'y'), Some(Report::Other));
        assert_eq!(from_csi(b"6;0;0", b't'), Some(Report::Other));
        assert_eq!(from_csi(b"12;40", b'R'), Some(Report::Other));
        // Keys are not reports.
        assert_eq!(from_csi(b"1;2", b'R'), None, "Shift+F3");
        assert_eq!(from_csi(b"", b'A'), None);
        assert_eq!(from_csi(b"3", b'~'), None);
        assert_eq!(from_csi(b"<0;10;5", b'M'), None, "a mouse click");
    }

    #[test]
    fn string_reports() {
        assert_eq!(
            from_string(StringKind::Apc, b"Gi=31;OK"),
            Report::Kitty {
                id: Some(31),
                ok: true,
                message: "OK".into()
            }
        );
        assert_eq!(
            from_string(StringKind::Apc, b"Gi=7,p=1;ENOENT:no such image"),
            Report::Kitty {
                id: Some(7),
                ok: false,
                message: "ENOENT:no such image".into()
            }
        );
        assert_eq!(
            from_string(StringKind::Dcs, b">|kitty(0.26.5)"),
            Report::Version("kitty(0.26.5)".into())
        );
        assert_eq!(
            from_string(StringKind::Dcs, b"1+r524742=382F382F38"),
            Report::Capability("RGB".into(), Some("8/8/8".into()))
        );
        assert_eq!(
            from_string(StringKind::Dcs, b"0+r5463"),
            Report::Capability("Tc".into(), None)
        );
        assert_eq!(
            from_string(StringKind::Dcs, b"1$r0;48:2::1:2:3m"),
            Report::Rendition("0;48:2::1:2:3m".into())
        );
        assert_eq!(
            from_string(StringKind::Osc, b"11;rgb:ffff/8080/0000"),
            Report::Background([255, 128, 0])
        );
        assert_eq!(
            from_string(StringKind::Osc, b"11;rgb:f/8/0"),
            Report::Background([255, 136, 0])
        );
        assert_eq!(from_string(StringKind::Osc, b"52;c;aGk="), Report::Other);
        assert_eq!(from_string(StringKind::Apc, b"hello"), Report::Other);
        assert_eq!(from_string(StringKind::Dcs, b"1+rZZ"), Report::Other);
    }

    #[test]
    fn hostile_report_text_is_made_inert() {
        let Report::Version(text) = from_string(StringKind::Dcs, b">|evil\x07\x1b[2J") else {
            panic!()
        };
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert_eq!(hex("RGB"), "524742");
    }
}
