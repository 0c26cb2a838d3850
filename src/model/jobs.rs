//! Requests this session has started, until their images are saved: each
//! with an id, its stage, and on failure the error the user can act on.
//! Jobs found in the journal from an earlier run are here too, marked
//! interrupted.

use std::time::{Duration, Instant};

use std::sync::Arc;

use crate::api::{Endpoint, Generation, ImageParams, InputImage};
use crate::edit::FitOptions;
use crate::store::sidecar::{RequestRecord, SourceRef};

/// A partial image's pixels, as the job received it (already shrunk).
#[derive(Debug, Clone, PartialEq)]
pub struct PartialImage {
    pub index: u32,
    pub pixels: Arc<crate::images::thumbnail::Thumbnail>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

/// Where a running request is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Waiting for a free worker.
    Queued,
    Sending {
        attempt: u32,
    },
    /// Waiting before another attempt.
    Retrying {
        attempt: u32,
        reason: String,
    },
    /// Sent; waiting for the answer or reading it.
    Receiving,
    /// Partial images have arrived.
    Partial {
        received: u32,
    },
    Downloading {
        index: usize,
        of: usize,
    },
    Saving,
}

impl Stage {
    pub fn label(&self) -> String {
        match self {
            Stage::Queued => "queued".into(),
            Stage::Sending { attempt: 1 } => "sending".into(),
            Stage::Sending { attempt } => format!("sending (attempt {attempt})"),
            // The reason quotes the server.
            Stage::Retrying { attempt, reason } => {
                format!(
                    "retry {attempt} after {}",
                    crate::util::inert::inert(reason, 200)
                )
            }
            Stage::Receiving => "waiting for the server".into(),
            Stage::Partial { received } => format!("receiving, partial {received}"),
            Stage::Downloading { index, of } => format!("downloading {}/{of}", index + 1),
            Stage::Saving => "saving".into(),
        }
    }
}

/// Why a job ended without images.
#[derive(Debug, Clone, PartialEq)]
pub struct JobFailure {
    /// One line, saying what to do about it.
    pub headline: String,
    /// Everything known: server message, request id.
    pub detail: String,
    /// The request reached the server before the connection was lost.
    pub may_be_billed: bool,
    /// A stable name for the kind of failure (`ApiError::kind`, or `save`
    /// and `internal` for failures after the answer arrived).
    pub kind: &'static str,
    /// Images that arrived but could not be saved: kept in memory so a
    /// retry saves them without paying for them again.
    pub kept: Option<Arc<Unsaved>>,
}

/// A request's images and record, waiting for a save that works.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    pub generation: Generation,
    pub record: RequestRecord,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    Running(Stage),
    Failed(JobFailure),
    /// Found in the journal: artty stopped while it was in flight.
    Interrupted {
        started: String,
        sent: bool,
        stopped_by: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub endpoint: Endpoint,
    /// The request's parameters, prompt included.
    pub params: ImageParams,
    pub started: Instant,
    /// The journal file naming this job.
    pub journal: String,
    pub state: JobState,
    /// The latest partial image of a streaming request.
    pub partial: Option<PartialImage>,
    /// An edit's or variation's inputs as sent, kept for a retry.
    pub inputs: Option<Arc<SentInputs>>,
}

/// The input images of an edit or variation as they were sent, and what
/// the sidecar records about them.
#[derive(Debug, Clone, PartialEq)]
pub struct SentInputs {
    pub images: Vec<InputImage>,
    pub mask: Option<InputImage>,
    /// Markup drawn in the app, as sent, and as drawn over the original
    /// first image (saved beside the result).
    pub markup: Option<InputImage>,
    pub markup_png: Option<bytes::Bytes>,
    pub sources: Vec<SourceRef>,
    pub mask_png: Option<bytes::Bytes>,
    pub fit: Option<FitOptions>,
}

impl Job {
    pub fn is_running(&self) -> bool {
        matches!(self.state, JobState::Running(_))
    }

    /// The images of a failed save, still in memory.
    pub fn kept(&self) -> Option<&Arc<Unsaved>> {
        match &self.state {
            JobState::Failed(failure) => failure.kept.as_ref(),
            _ => None,
        }
    }

    pub fn elapsed(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.started)
    }

    pub fn prompt(&self) -> &str {
        self.params.prompt.as_deref().unwrap_or("")
    }
}

/// Jobs newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Jobs {
    pub list: Vec<Job>,
    next: u64,
}

impl Jobs {
    /// The id the next job will get.
    pub fn peek_next(&self) -> JobId {
        JobId(self.next + 1)
    }

    pub fn next_id(&mut self) -> JobId {
        self.next += 1;
        JobId(self.next)
    }

    pub fn add(&mut self, job: Job) {
        self.list.insert(0, job);
    }

    pub fn get_mut(&mut self, id: JobId) -> Option<&mut Job> {
        self.list.iter_mut().find(|j| j.id == id)
    }

    pub fn remove(&mut self, id: JobId) -> Option<Job> {
        let at = self.list.iter().position(|j| j.id == id)?;
        Some(self.list.remove(at))
    }

    pub fn running(&self) -> usize {
        self.list.iter().filter(|j| j.is_running()).count()
    }

    /// Failed jobs whose images are only in memory: quitting moves them to
    /// the rescue folder.
    pub fn unsaved(&self) -> usize {
        self.list.iter().filter(|j| j.kept().is_some()).count()
    }

    /// Moves a running job on; results for jobs no longer here are dropped.
    pub fn set_stage(&mut self, id: JobId, stage: Stage) {
        if let Some(job) = self.get_mut(id).filter(|j| j.is_running()) {
            job.state = JobState::Running(stage);
        }
    }
}
