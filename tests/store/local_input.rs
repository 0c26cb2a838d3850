//! Bad local input, through the real binary: config, keys and model-table
//! files with syntax errors (named by line, defaults used, the file left
//! alone), and a gallery folder that is read-only or full (a clear error,
//! no partial files, the paid-for images rescued to the temp folder).
//!
//! Read-only and full folders are made in namespaces (`unshare`, from
//! util-linux): a user namespace takes away root's right to ignore file
//! modes, and a mount namespace holds a tiny tmpfs that fills up.

use crate::common;

use std::process::Command;

use common::home::{Home, text};

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Writes `broken` as the config folder's `file`, runs `args`, which must
/// succeed, and checks the file was left as it was: (stdout, stderr).
fn run_with_broken(home: &Home, file: &str, broken: &str, args: &[&str]) -> (String, String) {
    let path = home.config().join(file);
    write(&path, broken);
    let output = home.run(args);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    (text(&output.stdout), stderr)
}

#[test]
fn a_config_with_a_syntax_error_is_named_by_line_and_left_alone() {
    let home = Home::new();
    let broken = "model = \"dall-e-3\"\ntimeout_secs = = 4\n";
    let (stdout, stderr) = run_with_broken(&home, "config.toml", broken, &["auth", "status"]);
    assert!(stderr.contains("config.toml"), "{stderr}");
    assert!(stderr.contains("line 2, column 16"), "{stderr}");
    assert!(stderr.contains("using the defaults"), "{stderr}");
    // Defaults stand in: the official base URL, not anything from the file.
    assert!(stdout.contains("https://api.openai.com/v1"), "{stdout}");
    // Saving a key does not touch it either.
    let saved = home.run_with_stdin(&["auth", "set"], "sk-test-0123456789abcdefWXYZ\n", &[]);
    assert_eq!(saved.status.code(), Some(0), "{}", text(&saved.stderr));
    let config = home.config().join("config.toml");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), broken);
}

#[test]
fn a_keys_file_with_a_syntax_error_keeps_the_default_keys() {
    let home = Home::new();
    let broken = "[gallery]\ndelete = [\"D\"\n";
    let (table, stderr) = run_with_broken(&home, "keys.toml", broken, &["keys"]);
    assert!(stderr.contains("keys.toml was not used (line "), "{stderr}");
    assert!(stderr.contains("the default keys apply"), "{stderr}");
    assert!(table.contains("| `d` `Delete` | `delete` |"), "{table}");
    assert!(table.contains("`Ctrl+G`"), "{table}");
}

#[test]
fn a_model_table_with_a_syntax_error_leaves_the_built_in_one() {
    let home = Home::new();
    let broken = "[[model]]\nname = \"local-diffusion\"\nendpoints = [generations\n";
    let (stdout, stderr) = run_with_broken(&home, "models.toml", broken, &["models"]);
    assert!(stderr.contains("models.toml: line 3, column "), "{stderr}");
    assert!(stderr.contains("built-in model table applies"), "{stderr}");
    assert!(stdout.contains("gpt-image-1-mini"), "{stdout}");
    assert!(!stdout.contains("local-diffusion"), "{stdout}");
}

/// `artty --demo generate` into `gallery`, run by `sh -c` inside `unshare
/// FLAGS`, then the folder listed from inside the same namespaces.
/// `$TMPDIR` is `rescue_root()`, open to anyone, so the rescue folder can
/// be made whoever the namespace makes us.
fn generate_in_namespace(
    home: &Home,
    flags: &[&str],
    setup: &str,
    gallery: &str,
) -> (i32, String, Vec<String>) {
    let artty = home.artty(&[]);
    let mut command = Command::new("unshare");
    command.args(flags).arg("sh").arg("-c").arg(format!(
        "{setup}\n\"$0\" --demo generate -m gpt-image-1-mini --size 1024x1024 --quality low --out {gallery} 'a fox in snow'\necho \"exit=$?\" >&2\nls -A {gallery} >&2",
    ));
    command.arg(artty.get_program());
    for (name, value) in artty.get_envs() {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let tmp = rescue_root(home);
    std::fs::create_dir_all(&tmp).unwrap();
    for open in [home.root.path(), tmp.as_path()] {
        let mut modes = std::fs::metadata(open).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut modes, 0o777);
        std::fs::set_permissions(open, modes).unwrap();
    }
    command.env("TMPDIR", &tmp);
    let output = command.output().expect("unshare (util-linux) is installed");
    let stderr = text(&output.stderr);
    assert!(
        !stderr.contains("unshare failed") && !stderr.contains("Operation not permitted"),
        "namespaces are not available here: {stderr}"
    );
    let (before, after) = stderr
        .split_once("exit=")
        .unwrap_or_else(|| panic!("{stderr}"));
    let (code, listing) = after.split_once('\n').unwrap();
    // The gallery's sealing key is a whole file of its own, not an image.
    let files = listing
        .lines()
        .filter(|name| *name != ".artty-seal")
        .map(str::to_string)
        .collect();
    (code.trim().parse().unwrap(), before.to_string(), files)
}

fn rescue_root(home: &Home) -> std::path::PathBuf {
    home.root.path().join("tmp")
}

/// The image and sidecar the run could not put in the gallery, in the
/// one rescue folder the message names.
fn assert_rescued(home: &Home, stderr: &str) {
    let folders: Vec<_> = std::fs::read_dir(rescue_root(home))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(
        stderr.contains(&format!("They are safe in {}", folders[0].display())),
        "{stderr}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&folders[0])
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != ".artty-seal")
        .map(|e| e.path().extension().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["json", "png"]);
}

#[test]
fn a_read_only_gallery_folder_gives_a_clear_error_and_no_files() {
    let home = Home::new();
    let gallery = home.root.path().join("read-only");
    std::fs::create_dir_all(&gallery).unwrap();
    let mut modes = std::fs::metadata(&gallery).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut modes, 0o555);
    std::fs::set_permissions(&gallery, modes).unwrap();
    let (code, stderr, files) =
        generate_in_namespace(&home, &["--user"], "", &gallery.display().to_string());
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("no permission to write there"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(files.is_empty(), "{files:?}");
    assert_rescued(&home, &stderr);
}

#[test]
fn a_full_gallery_folder_gives_a_clear_error_and_no_partial_files() {
    let home = Home::new();
    let gallery = home.root.path().join("full");
    std::fs::create_dir_all(&gallery).unwrap();
    let dir = gallery.display().to_string();
    let (code, stderr, files) = generate_in_namespace(
        &home,
        &["--map-root-user", "--mount"],
        &format!("mount -t tmpfs -o size=16k tmpfs {dir} || exit 99"),
        &dir,
    );
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("the disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(files.is_empty(), "left in the folder: {files:?}");
    assert_rescued(&home, &stderr);
}
