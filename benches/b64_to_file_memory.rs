//! Peak heap while turning a 2 MB `b64_json` answer into a saved file,
//! counted by a wrapping allocator. Run with `cargo bench --bench b64_to_file_memory`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "fixture.rs"]
mod fixture;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let body = fixture::answer_body();
    let dir = tempfile::tempdir().unwrap();
    let gallery = artty::store::gallery::Gallery::open(dir.path()).unwrap();
    fixture::save_answer(&body, &gallery); // warm up lazily allocated state
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    fixture::save_answer(&body, &gallery);
    let extra = PEAK.load(Ordering::Relaxed) - before;
    println!(
        "b64_to_file_memory: answer {:.2} MB, peak extra heap {:.2} MB ({:.2}x the answer)",
        body.len() as f64 / 1e6,
        extra as f64 / 1e6,
        extra as f64 / body.len() as f64
    );
}
