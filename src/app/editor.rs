//! `Ctrl+E`: the prompt in $VISUAL or $EDITOR, through a private temp file.

use std::io::Write;

/// `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// Runs `editor` on `text` and returns what was saved.
pub fn edit_in_editor(text: &str, editor: &str) -> Result<String, String> {
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

#[cfg(test)]
mod tests {
    use super::edit_in_editor;

    #[test]
    fn the_editor_sees_the_prompt_and_its_saved_text_comes_back() {
        // An "editor" with arguments, as EDITOR="code --wait" would be.
        let edited = edit_in_editor("a rough fox", "sed -i s/rough/polished/").unwrap();
        assert_eq!(edited, "a polished fox");
    }

    #[test]
    fn a_failing_editor_leaves_the_prompt_alone_and_says_so() {
        let why = edit_in_editor("kept", "false").unwrap_err();
        assert!(why.contains("the prompt is unchanged"), "{why}");
    }
}
