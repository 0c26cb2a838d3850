//! Server-sent events and the image stream read from them. The same bytes
//! cut into different chunks must give the same events and the same
//! outcome, and no error text may carry a raw control character.
#![no_main]

use std::time::Duration;

use artty::api::body::Cap;
use artty::api::sse::SseParser;
use artty::api::stream::{StreamContext, StreamReader};
use artty::api::untrusted::Boundary;
use artty::api::{ApiError, Generation};
use libfuzzer_sys::fuzz_target;

fn context() -> StreamContext<'static> {
    StreamContext {
        cap: Cap {
            bytes: 64 << 20,
            timeout: Duration::from_secs(1),
            what: "answer",
        },
        request_id: Some("req_fuzz".into()),
        boundary: Boundary::new(Some("sk-fuzz-secret-0000"), Some(4)),
    }
}

/// Reads the stream in the given chunks; the partials seen and the outcome.
fn read(chunks: &[&[u8]]) -> (usize, Result<Generation, ApiError>) {
    let mut reader = StreamReader::new(context());
    let mut partials = 0;
    let mut progress = |_| partials += 1;
    for chunk in chunks {
        if let Err(err) = reader.push(chunk, &mut progress) {
            return (partials, Err(err));
        }
    }
    (partials, reader.finish())
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    // Chunk sizes from the seed byte, 1 to 16 bytes, repeating.
    let mut chunks = Vec::new();
    let mut at = 0;
    let mut step = 0usize;
    while at < body.len() {
        let size = 1 + ((seed as usize >> (step % 4)) + step) % 16;
        let end = (at + size).min(body.len());
        chunks.push(&body[at..end]);
        at = end;
        step += 1;
    }

    let whole = SseParser::new().push(body);
    let mut parser = SseParser::new();
    let pieces: Vec<_> = chunks.iter().flat_map(|c| parser.push(c)).collect();
    assert_eq!(whole, pieces, "chunking changed the events");

    let (partials_whole, once) = read(&[body]);
    let (partials_chunked, chunked) = read(&chunks);
    assert_eq!(partials_whole, partials_chunked);
    match (&once, &chunked) {
        (Ok(a), Ok(b)) => assert_eq!(a.images.len(), b.images.len()),
        (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind()),
        _ => panic!("chunking changed the outcome: {once:?} vs {chunked:?}"),
    }
    if let Err(err) = once {
        let shown = err.to_string();
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert!(!shown.contains("sk-fuzz-secret"), "{shown:?}");
    }
});
