//! The one way artty reads a local file. A name says nothing about what is
//! behind it: a FIFO named `x.png` blocks whoever opens it until a writer
//! comes, `/dev/zero` never ends, and a sparse file claims gigabytes it
//! does not hold. So every file is opened without blocking, its type and
//! size are checked from its metadata before a byte is read, and the read
//! itself stops at the limit.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
#[cfg(unix)]
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Who named the file, which decides what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// artty's own files and what a folder scan finds: regular files only.
    ByArtty,
    /// A path the user typed (`--image`, `batch FILE`, an edit path): a
    /// pipe or a device is taken on purpose (`--image <(curl …)`), still
    /// bounded by the limit.
    ByUser,
}

/// Limits, by what the file is.
pub mod limit {
    /// An image in the gallery, a thumbnail, an export.
    pub const IMAGE: u64 = 512 << 20;
    /// A source or mask for an edit: over the API's 50 MB, so the check
    /// before sending names the API's limit.
    pub const EDIT_INPUT: u64 = 64 << 20;
    /// One sidecar or journal entry.
    pub const SIDECAR: u64 = 4 << 20;
    /// The gallery index of every sidecar.
    pub const INDEX: u64 = 1 << 30;
    /// config.toml, keys.toml, models.toml, the credentials file, a prompt.
    pub const SETTINGS: u64 = 1 << 20;
    /// state.json, with its prompt history.
    pub const STATE: u64 = 16 << 20;
    /// A batch file.
    pub const BATCH: u64 = 64 << 20;
}

/// Reads all of `path`, at most `max` bytes. Not found stays
/// `ErrorKind::NotFound`; anything else that is wrong is an error whose
/// text says what (a folder, a FIFO, too large).
pub fn read(path: &Path, max: u64, named: Named) -> io::Result<Vec<u8>> {
    read_at_most(open(path, max, named)?, max)
}

/// A file in a folder artty keeps (an image or sidecar in the gallery, a
/// cached thumbnail, a copy in the export folder): a regular file, no
/// larger than an image may be.
pub fn read_own_file(path: &Path) -> io::Result<Vec<u8>> {
    read(path, limit::IMAGE, Named::ByArtty)
}

/// A source, mask or markup the user named for an edit (the CLI's
/// `--image`, the edit panel's paths): a pipe is fine, past the API's
/// upload limit is not.
pub fn read_edit_input(path: &Path) -> io::Result<Vec<u8>> {
    read(path, limit::EDIT_INPUT, Named::ByUser)
}

/// One of artty's own small text files: config.toml, keys.toml,
/// models.toml, the credentials file, a prompt back from the editor.
pub fn read_own_text(path: &Path) -> io::Result<String> {
    read_text(path, limit::SETTINGS, Named::ByArtty)
}

/// [`read`] as UTF-8 text.
pub fn read_text(path: &Path, max: u64, named: Named) -> io::Result<String> {
    utf8(read(path, max, named)?)
}

/// Standard input, at most `max` bytes (`generate -`, `auth set`).
pub fn read_stdin_text(max: u64) -> io::Result<String> {
    utf8(read_at_most(io::stdin().lock(), max)?)
}

/// Standard input as bytes, at most `max` (`--image -`).
pub fn read_stdin(max: u64) -> io::Result<Vec<u8>> {
    read_at_most(io::stdin().lock(), max)
}

/// All of `source`, or an error once it runs past `max` bytes (a size
/// checked up front can still grow, and a stream has none).
fn read_at_most(source: impl Read, max: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    source.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(max));
    }
    Ok(bytes)
}

fn utf8(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// The canonical form of `path` (links and `..` resolved), or `path` as
/// given when it cannot be resolved (it does not exist yet).
pub fn canonical(path: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A file's length and modification time, from its metadata: enough to
/// tell that a file changed since it was last read.
pub fn stamp(path: &Path) -> io::Result<(u64, Option<std::time::SystemTime>)> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.len(), meta.modified().ok()))
}

/// True when `path` is a regular file (following a symlink), learnt
/// without opening it: what a folder scan lists.
pub fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Opens without blocking, then checks type and size. A FIFO opened this
/// way returns at once even with no writer.
fn open(path: &Path, max: u64, named: Named) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        let nonblocking = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
        options.custom_flags(nonblocking.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(refused("it is a folder, not a file"));
    }
    if kind.is_file() {
        if meta.len() > max {
            return Err(too_large(max));
        }
        return Ok(file);
    }
    let what = special_kind(&kind);
    match named {
        Named::ByArtty => Err(refused(&format!("it is {what}, not a regular file"))),
        Named::ByUser => {
            // Named on purpose: read it as a stream, which now may wait.
            #[cfg(unix)]
            rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::empty())?;
            Ok(file)
        }
    }
}

/// What a file that is neither a folder nor a regular file is.
#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    if kind.is_fifo() {
        "a pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

fn refused(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, why.to_string())
}

fn too_large(max: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("it is larger than {} MB", (max >> 20).max(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fifo(dir: &Path, name: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        path
    }

    #[test]
    fn fifos_devices_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = fifo(dir.path(), "x.png");
        let err = read(&pipe, 10, Named::ByArtty).unwrap_err().to_string();
        assert!(err.contains("pipe"), "{err}");
        // Named by the user, a pipe without a writer is simply empty.
        assert_eq!(read(&pipe, 10, Named::ByUser).unwrap(), Vec::<u8>::new());
        let err = read(Path::new("/dev/zero"), 10, Named::ByArtty).unwrap_err();
        assert!(err.to_string().contains("device"), "{err}");
        let err = read(Path::new("/dev/zero"), 1 << 20, Named::ByUser).unwrap_err();
        assert!(err.to_string().contains("larger than 1 MB"), "{err}");
        let err = read(dir.path(), 10, Named::ByUser).unwrap_err();
        assert!(err.to_string().contains("folder"), "{err}");
        let missing = read(&dir.path().join("none"), 10, Named::ByArtty).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        assert!(!is_regular(&pipe));
    }

    #[test]
    fn a_sparse_file_is_refused_by_its_size_before_any_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sparse.png");
        File::create(&path).unwrap().set_len(2 << 30).unwrap();
        let err = read(&path, limit::EDIT_INPUT, Named::ByUser).unwrap_err();
        assert!(err.to_string().contains("larger than 64 MB"), "{err}");
        std::fs::write(&path, b"ok").unwrap();
        assert_eq!(read(&path, 2, Named::ByArtty).unwrap(), b"ok");
        assert!(read(&path, 1, Named::ByArtty).is_err());
    }
}
