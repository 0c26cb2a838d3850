//! `Ctrl+E`: the prompt in $VISUAL or $EDITOR, through a private temp file.

use std::io::Write;

/// Runs the editor on `text` and returns what was saved.
pub fn edit_in_editor(text: &str) -> Result<String, String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let mut file = tempfile::Builder::new()
        .prefix("artty-prompt-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("Could not make a temp file for the editor: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("Could not write the temp file: {e}"))?;
    // Through the shell, so `EDITOR="code --wait"` works as it does for git.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .map_err(|e| format!("Could not start {editor}: {e}"))?;
    if !status.success() {
        return Err(format!(
            "{editor} exited with {status}; the prompt is unchanged"
        ));
    }
    std::fs::read_to_string(file.path()).map_err(|e| format!("Could not read the prompt back: {e}"))
}
