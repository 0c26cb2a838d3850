//! Journal file names: unique across runs and sortable by start time.

use crate::model::jobs::JobId;

/// `<run tag>-<job number>`; the run tag holds the start time and the pid.
pub fn journal_name(run_tag: &str, id: JobId) -> String {
    format!("{run_tag}-{:04}", id.0)
}
