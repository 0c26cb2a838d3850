//! Case 30, counted rather than timed: a 20 MB `data:` line fed in 1 KB
//! chunks must cost memory in proportion to its size. A counting
//! allocator sees every byte the parser allocates or grows; a parser that
//! copied its buffered line again for each chunk allocates about 215 GB
//! here (measured: it still finishes, in 10 s, so the plain case 30 test
//! passes it) instead of 88 MB. This file holds one test, so no other
//! test's allocations are counted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use artty::api::sse::SseParser;

struct Counting;

static BYTES: AtomicU64 = AtomicU64::new(0);
static CALLS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counters are only added to.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn case30_a_20_mb_data_line_costs_memory_in_proportion_to_its_size() {
    const SIZE: usize = 20 * 1024 * 1024;
    let stream = format!("data: {}\n\n", "A".repeat(SIZE));
    let mut parser = SseParser::new();
    let mut events = Vec::with_capacity(1);

    let (bytes_before, calls_before) =
        (BYTES.load(Ordering::Relaxed), CALLS.load(Ordering::Relaxed));
    for chunk in stream.as_bytes().chunks(1024) {
        events.extend(parser.push(chunk));
    }
    let allocated = BYTES.load(Ordering::Relaxed) - bytes_before;
    let calls = CALLS.load(Ordering::Relaxed) - calls_before;

    assert_eq!(events.len(), 1);
    assert_eq!(events[0].data.len(), SIZE);
    // The line buffer doubles up to 32 MB (about 64 MB in all) and the
    // event's data is one 20 MB string: about four times the input.
    assert!(
        allocated < 8 * SIZE as u64,
        "{allocated} bytes allocated for a {SIZE}-byte line"
    );
    // Growth by doubling is a few dozen calls (18 when measured); a copy
    // per chunk is one call for each of the 20,480 chunks.
    assert!(calls < 1_000, "{calls} allocations");
}
