//! Making thumbnails in the background: the disk cache first, else decode
//! and shrink the image and store the result; a streaming job's partial
//! images are decoded here too. Two workers take requests in screen
//! order; a new list replaces the waiting one, so scrolling past a
//! thousand images does not queue a thousand decodes.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use tokio::sync::Notify;
use tokio::sync::mpsc::UnboundedSender;

use super::{ThumbnailFrom, ThumbnailRequest};
use crate::action::{Action, GalleryResult, JobResult};
use crate::images::graphics::Graphics;
use crate::images::prepared::Prepared;
use crate::images::thumbnail::{PixelBox, Thumbnail};
use crate::model::jobs::JobId;
use crate::model::jobs::PartialImage;
use crate::model::thumbs::ThumbKey;
use crate::store::thumbnail_cache as disk;

/// Decoding runs this many at once, leaving cores for the rest.
const WORKERS: usize = 2;
/// Partial images are kept at this size; tiles and the preview are made
/// from it.
const PARTIAL_BOX: PixelBox = PixelBox {
    width: 512,
    height: 512,
};

#[derive(Default)]
struct Queue {
    waiting: VecDeque<ThumbnailRequest>,
    running: HashSet<ThumbKey>,
}

/// The runner's handle on the thumbnail workers.
#[derive(Clone)]
pub struct Thumbnailer {
    queue: Arc<Mutex<Queue>>,
    wake: Arc<Notify>,
}

impl Thumbnailer {
    pub fn start(cache_dir: PathBuf, tx: UnboundedSender<Action>) -> Thumbnailer {
        let thumbnailer = Thumbnailer {
            queue: Arc::default(),
            wake: Arc::new(Notify::new()),
        };
        for _ in 0..WORKERS {
            tokio::spawn(work(thumbnailer.clone(), cache_dir.clone(), tx.clone()));
        }
        thumbnailer
    }

    /// Replaces what waits with `requests`, minus those already running.
    pub fn want(&self, requests: Vec<ThumbnailRequest>) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let running = queue.running.clone();
        queue.waiting = requests
            .into_iter()
            .filter(|r| !running.contains(&r.key))
            .collect();
        drop(queue);
        self.wake.notify_waiters();
        for _ in 0..WORKERS {
            self.wake.notify_one();
        }
    }

    fn next(&self) -> Option<ThumbnailRequest> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let request = queue.waiting.pop_front()?;
        queue.running.insert(request.key.clone());
        Some(request)
    }

    fn done(&self, key: &ThumbKey) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.running.remove(key);
    }
}

async fn work(thumbnailer: Thumbnailer, cache_dir: PathBuf, tx: UnboundedSender<Action>) {
    loop {
        let Some(request) = thumbnailer.next() else {
            thumbnailer.wake.notified().await;
            continue;
        };
        let key = request.key.clone();
        let dir = cache_dir.clone();
        let result = tokio::task::spawn_blocking(move || make(&request, &dir))
            .await
            .unwrap_or_else(|e| Err(format!("the thumbnail task failed: {e}")));
        thumbnailer.done(&key);
        if tx
            .send(Action::Gallery(GalleryResult::ThumbnailMade {
                key,
                result,
            }))
            .is_err()
        {
            return;
        }
    }
}

/// One thumbnail, from the disk cache when it has it.
pub fn make(request: &ThumbnailRequest, cache_dir: &Path) -> Result<Arc<Prepared>, String> {
    let size = request.key.size;
    let prepared = match &request.from {
        ThumbnailFrom::Pixels(pixels) => Prepared::from_pixels(pixels, size, request.graphics),
        ThumbnailFrom::File(path) => return from_file(path, size, request.graphics, cache_dir),
    };
    prepared.map(Arc::new).map_err(|e| e.to_string())
}

fn from_file(
    path: &Path,
    size: PixelBox,
    graphics: Graphics,
    cache_dir: &Path,
) -> Result<Arc<Prepared>, String> {
    let cached = disk::path_for(cache_dir, path, size.width, size.height);
    if let Some(png) = cached.as_deref().and_then(disk::read)
        && let Ok(prepared) = Prepared::from_cached_png(&png, graphics)
    {
        return Ok(Arc::new(prepared));
    }
    let bytes = crate::store::local_file::read_own_file(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let made = Prepared::from_image_bytes(&bytes, size, graphics).map_err(|e| e.to_string())?;
    if let (Some(cached), Some(png)) = (cached, &made.png)
        && let Err(e) = disk::write(&cached, png)
    {
        tracing::warn!("thumbnail cache: {e}");
    }
    Ok(Arc::new(made.prepared))
}

/// Decodes a partial image off the async workers and hands it to the job.
pub fn decode_partial(id: JobId, index: u32, image: Bytes, tx: UnboundedSender<Action>) {
    tokio::task::spawn_blocking(
        move || match Thumbnail::from_image_bytes(&image, PARTIAL_BOX) {
            Ok(pixels) => {
                let image = PartialImage {
                    index,
                    pixels: Arc::new(pixels),
                };
                let _ = tx.send(Action::Job(JobResult::PartialImage { id, image }));
            }
            Err(e) => tracing::warn!("partial image {index} of job {}: {e}", id.0),
        },
    );
}
