//! tmux passthrough: an escape sequence wrapped so tmux hands it to the
//! outer terminal (tmux 3.3+ needs `set -g allow-passthrough on`; without
//! it tmux drops the sequence whole, so nothing garbles the screen).

/// True when running inside tmux.
pub fn inside() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Asks tmux whether `allow-passthrough` is on (tmux 3.3+; older ones
/// pass everything through and have no such option).
pub fn passthrough_allowed() -> bool {
    let output = std::process::Command::new("tmux")
        .args(["show", "-gv", "allow-passthrough"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => {
            matches!(String::from_utf8_lossy(&out.stdout).trim(), "on" | "all")
        }
        // An unknown option: a tmux from before the setting existed.
        Ok(_) => true,
        Err(_) => false,
    }
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
