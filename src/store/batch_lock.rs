//! One run per batch file at a time. Every line of a batch is a billed
//! request, and a second `artty batch F` started beside the first would
//! see the same lines undone and send each again. A run holds an
//! exclusive `flock` on a lock file named after the batch; the kernel
//! drops it when the process ends, however it ends, so a killed run never
//! leaves a stale lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::atomic::ensure_private_dir;

/// Held for as long as the batch runs.
#[derive(Debug)]
pub struct BatchLock {
    _file: File,
}

impl BatchLock {
    /// Takes the lock of batch `id` under `locks`, or says which process has it.
    pub fn take(locks: &Path, id: &str) -> Result<BatchLock, String> {
        ensure_private_dir(locks).map_err(|e| e.to_string())?;
        let path = locks.join(format!("{id}.lock"));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options
            .open(&path)
            .map_err(|e| format!("could not open {}: {e}", path.display()))?;
        if !locked(&file) {
            let mut holder = String::new();
            let _ = Read::by_ref(&mut file).take(32).read_to_string(&mut holder);
            let who = match holder.trim() {
                "" => String::new(),
                pid => format!(" (process {})", crate::util::inert::inert(pid, 12)),
            };
            return Err(format!(
                "this batch is already running in another artty{who}: wait for it to finish, or stop it first"
            ));
        }
        // The holder's pid, for the message another run gives.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        Ok(BatchLock { _file: file })
    }
}

/// An exclusive lock without waiting: `flock` on Unix, `File::try_lock`
/// (the platform's own) elsewhere.
#[cfg(unix)]
fn locked(file: &File) -> bool {
    rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok()
}

#[cfg(not(unix))]
fn locked(file: &File) -> bool {
    file.try_lock().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_of_the_same_batch_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = BatchLock::take(dir.path(), "batch-1").unwrap();
        let err = BatchLock::take(dir.path(), "batch-1").unwrap_err();
        assert!(err.contains("already running"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        assert!(
            BatchLock::take(dir.path(), "batch-2").is_ok(),
            "another batch runs"
        );
        drop(first);
        assert!(BatchLock::take(dir.path(), "batch-1").is_ok());
    }
}
