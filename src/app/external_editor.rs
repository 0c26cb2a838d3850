//! `Ctrl+E`: the prompt in $VISUAL or $EDITOR, through a private temp file.

use std::io::Write;

/// Editors tried, in order, when neither `$VISUAL` nor `$EDITOR` is set.
const FALLBACKS: [&str; 4] = ["sensible-editor", "nano", "vim", "vi"];

/// `$VISUAL`, else `$EDITOR`, else the first of [`FALLBACKS`] on `$PATH`;
/// with none, a message saying what to set (the terminal is then never
/// handed over).
pub fn editor_command() -> Result<String, String> {
    let var = |name: &str| std::env::var(name).ok();
    choose_editor(var, std::env::var_os("PATH").unwrap_or_default())
}

fn choose_editor(
    var: impl Fn(&str) -> Option<String>,
    path: std::ffi::OsString,
) -> Result<String, String> {
    if let Some(editor) = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| var(name))
        .find(|v| !v.trim().is_empty())
    {
        return Ok(editor);
    }
    FALLBACKS
        .iter()
        .find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .map(|name| name.to_string())
        .ok_or_else(|| {
            "No editor found: set $EDITOR (for example `export EDITOR=nano`) to edit the prompt in it"
                .to_string()
        })
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
    // The shell says 127 when it cannot find the command.
    if status.code() == Some(127) {
        return Err(format!(
            "The editor `{}` was not found: set $EDITOR to one that is installed; the prompt is unchanged",
            crate::util::inert::inert(editor, 100)
        ));
    }
    if !status.success() {
        return Err(format!(
            "{} exited with {status}; the prompt is unchanged",
            crate::util::inert::inert(editor, 100)
        ));
    }
    crate::store::local_file::read_own_text(file.path())
        .map_err(|e| format!("Could not read the prompt back: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{choose_editor, edit_in_editor};

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

    #[test]
    fn an_editor_that_is_not_installed_is_named() {
        let why = edit_in_editor("kept", "no-such-editor-artty").unwrap_err();
        assert!(
            why.contains("`no-such-editor-artty` was not found"),
            "{why}"
        );
        assert!(why.contains("set $EDITOR"), "{why}");
    }

    #[test]
    fn visual_then_editor_then_an_installed_fallback_else_a_message() {
        let bin = tempfile::tempdir().unwrap();
        let path = || bin.path().as_os_str().to_owned();
        let env = |visual: Option<&str>, editor: Option<&str>| {
            let (visual, editor) = (visual.map(String::from), editor.map(String::from));
            move |name: &str| match name {
                "VISUAL" => visual.clone(),
                "EDITOR" => editor.clone(),
                _ => None,
            }
        };
        assert_eq!(
            choose_editor(env(Some("hx"), Some("nano")), path()),
            Ok("hx".into())
        );
        assert_eq!(
            choose_editor(env(Some(" "), Some("kak")), path()),
            Ok("kak".into())
        );
        let none = choose_editor(env(None, None), path()).unwrap_err();
        assert!(none.contains("No editor found: set $EDITOR"), "{none}");
        std::fs::write(bin.path().join("vi"), "").unwrap();
        assert_eq!(choose_editor(env(None, None), path()), Ok("vi".into()));
        std::fs::write(bin.path().join("nano"), "").unwrap();
        assert_eq!(choose_editor(env(None, None), path()), Ok("nano".into()));
    }
}
