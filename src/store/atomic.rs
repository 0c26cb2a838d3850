//! Writing files so that a crash or a kill at any moment leaves either the
//! old state or the whole new file, never a torn one: write to a hidden temp
//! file in the same folder, fsync it, rename it into place, fsync the folder.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::StoreError;

/// Temp files start with this, then the writer's pid; what a crashed writer
/// left is removed when the folder is next opened.
pub const TEMP_PREFIX: &str = ".artty-tmp-";

fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// True when `pid` is a running process. Where `/proc` is missing nothing
/// can be told, and every pid counts as running, so nothing is removed
/// from under a live writer.
pub fn process_alive(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new("/proc").join(pid.to_string()).exists()
}

/// A temp file may be removed when its writer is gone. Files from this
/// process are being written right now (by another job), so they stay.
fn abandoned(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
        return false;
    };
    match rest
        .split_once('-')
        .and_then(|(pid, _)| pid.parse::<u32>().ok())
    {
        Some(pid) => pid != std::process::id() && !process_alive(pid),
        // No pid in the name: an older artty's file.
        None => true,
    }
}

/// Writes `bytes` to `dir/name` atomically. Fails if the name is taken.
pub fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
    let target = dir.join(name);
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .tempfile_in(dir)
        .map_err(StoreError::io("create a file in", dir))?;
    // Errors name the file being made, not the hidden temp file.
    temp.as_file_mut()
        .write_all(bytes)
        .map_err(StoreError::io("write", &target))?;
    temp.as_file()
        .sync_all()
        .map_err(StoreError::io("flush", &target))?;
    temp.persist_noclobber(&target)
        .map_err(|e| StoreError::Io {
            action: "save",
            path: target.clone(),
            source: e.error,
        })?;
    sync_dir(dir)?;
    Ok(target)
}

/// Replaces `path` atomically (settings files). The file is created 0600.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_then_rename(path, bytes, true)
}

/// Replaces `path` atomically without waiting for the disk: for caches,
/// where a file lost to a power cut is simply made again.
pub fn replace_unsynced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_then_rename(path, bytes, false)
}

fn write_then_rename(path: &Path, bytes: &[u8], durable: bool) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    ensure_private_dir(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .tempfile_in(dir)
        .map_err(StoreError::io("create a file in", dir))?;
    temp.as_file_mut()
        .write_all(bytes)
        .map_err(StoreError::io("write", path))?;
    if durable {
        temp.as_file()
            .sync_all()
            .map_err(StoreError::io("flush", path))?;
    }
    temp.persist(path).map_err(|e| StoreError::Io {
        action: "save",
        path: path.to_path_buf(),
        source: e.error,
    })?;
    if durable {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Creates a folder (and parents) readable by its owner only.
pub fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(StoreError::io("create the folder", dir))
}

/// Removes temp files a crashed writer left behind; returns how many.
/// Temp files of live writers (other jobs, another artty) are kept.
pub fn remove_leftovers(dir: &Path) -> Result<usize, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(StoreError::io("read", dir)(e)),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if remove_leftover(&entry.path(), &entry.file_name().to_string_lossy()) {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes one file named `name` if it is an abandoned temp file.
pub fn remove_leftover(path: &Path, name: &str) -> bool {
    abandoned(name) && fs::remove_file(path).is_ok()
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    // Makes the rename itself durable. Not possible on every platform; where it isn't, the rename still is atomic.
    if let Ok(handle) = File::open(dir) {
        handle
            .sync_all()
            .map_err(StoreError::io("flush the folder", dir))?;
    }
    Ok(())
}
