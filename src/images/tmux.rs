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

/// The outer terminal as this tmux client knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Its XTVERSION answer (tmux 3.3+), e.g. `kitty(0.26.5)`; empty when
    /// it did not answer.
    pub termtype: String,
    /// The features tmux uses with it, e.g. `256,RGB,sixel,title`.
    pub features: String,
}

/// Asks tmux about the terminal this client runs in.
pub fn client() -> Option<Client> {
    let output = std::process::Command::new("tmux")
        .args([
            "display",
            "-p",
            "#{client_termtype}\t#{client_termfeatures}",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let text = String::from_utf8_lossy(&output.stdout);
    let (termtype, features) = text.trim_end().split_once('\t')?;
    Some(Client {
        termtype: crate::util::inert::inert(termtype, 100),
        features: crate::util::inert::inert(features, 300),
    })
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
