//! What a terminal answers to the start-up queries (device attributes,
//! cell and window size, the kitty graphics probe), mixed with typed keys
//! and noise; and key names as keys.toml spells them.
#![no_main]

use artty::images::detect::parse;
use artty::keymap::KeyChord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let replies = parse(data);
    if let Some((w, h)) = replies.cell {
        assert!(w > 0 && h > 0, "a zero cell size would divide by zero later");
    }
    if let Some((w, h)) = replies.area {
        assert!(w > 0 && h > 0);
    }
    // A reply split from noise before it is still found.
    let mut noisy = b"typed keys \x1b[A".to_vec();
    noisy.extend_from_slice(data);
    let _ = parse(&noisy);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(chord) = KeyChord::parse(text) {
            // The help and `artty keys` print this as it is.
            let shown = chord.to_string();
            assert!(!shown.is_empty() && !shown.chars().any(char::is_control), "{shown:?}");
        }
    }
});
