//! JSON answers and error answers: any body, any status. Nothing panics,
//! and what the user is shown holds no raw control character and never
//! the key.
#![no_main]

use artty::api::classify::{classify, read_error_answer};
use artty::api::decode::read_answer;
use artty::api::untrusted::Boundary;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "sk-fuzz-secret-0000";

fn assert_shown_safe(text: &str) {
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(!text.contains(SECRET), "{text:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&status_byte, body)) = data.split_first() else {
        return;
    };
    match read_answer(body, Some("req_fuzz"), Boundary::new(Some(SECRET), Some(10))) {
        Ok((answer, _meta)) => assert!(!answer.is_empty(), "an empty answer must be an error"),
        Err(err) => assert_shown_safe(&err.to_string()),
    }
    let status = [400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503][status_byte as usize % 12];
    let mut headers = reqwest::header::HeaderMap::new();
    if status_byte & 0x80 != 0 {
        headers.insert("retry-after", reqwest::header::HeaderValue::from_static("7"));
    }
    let answer = read_error_answer(status, &headers, body, Some(SECRET));
    let err = classify(answer, 1 + (status_byte as u32 & 3), None);
    assert_shown_safe(&err.to_string());
    if let Some(said) = err.server_said() {
        assert_shown_safe(&said.message);
    }
});
