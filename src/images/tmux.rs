//! tmux passthrough: an escape sequence wrapped so tmux hands it to the
//! outer terminal (tmux 3.3+ needs `set -g allow-passthrough on`; without
//! it tmux drops the sequence whole, so nothing garbles the screen).

/// True when running inside tmux.
pub fn inside() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Appends `sequence` wrapped for passthrough: each ESC is doubled.
pub fn wrap(sequence: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"\x1bPtmux;");
    for &byte in sequence {
        if byte == 0x1b {
            out.push(0x1b);
        }
        out.push(byte);
    }
    out.extend_from_slice(b"\x1b\\");
}

#[cfg(test)]
mod tests {
    #[test]
    fn doubles_every_escape() {
        let mut out = Vec::new();
        super::wrap(b"\x1b_Gq=2\x1b\\", &mut out);
        assert_eq!(out, b"\x1bPtmux;\x1b\x1b_Gq=2\x1b\x1b\\\x1b\\");
    }
}
