//! When to try a request again, and how long to wait first: the official
//! SDKs' rules, plus a cap on waits a server may ask for.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// The longest wait a server may ask for before we give up instead of waiting.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(120);
const BACKOFF_START: Duration = Duration::from_millis(500);
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// Error codes that no amount of retrying will fix.
const NEVER_RETRY_CODES: &[&str] = &[
    "insufficient_quota",
    "billing_hard_limit_reached",
    "billing_not_active",
    "invalid_api_key",
    "moderation_blocked",
    "content_policy_violation",
];

/// Time as the retry loop sees it; tests swap in one that records waits.
pub trait Clock: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
    fn now(&self) -> SystemTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    Retry(Duration),
    GiveUp,
    /// Retryable, but the server asked for a wait longer than [`MAX_SERVER_WAIT`].
    WaitTooLong(Duration),
}

/// Decides about an HTTP error answer. `retry_index` counts retries already made.
pub fn decide(
    status: u16,
    headers: &HeaderMap,
    code: Option<&str>,
    retry_index: u32,
    now: SystemTime,
) -> RetryDecision {
    if !should_retry(status, headers, code) {
        return RetryDecision::GiveUp;
    }
    match server_asked_wait(headers, now) {
        Some(wait) if wait > MAX_SERVER_WAIT => RetryDecision::WaitTooLong(wait),
        Some(wait) => RetryDecision::Retry(wait),
        None => RetryDecision::Retry(backoff(retry_index)),
    }
}

fn should_retry(status: u16, headers: &HeaderMap, code: Option<&str>) -> bool {
    match header_text(headers, "x-should-retry") {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    if code.is_some_and(|c| NEVER_RETRY_CODES.contains(&c)) {
        return false;
    }
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// The wait the server asked for: `retry-after-ms`, then `retry-after` as
/// seconds or an HTTP date. Garbage, negative and non-finite values count as unasked.
pub fn server_asked_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = header_text(headers, "retry-after-ms").and_then(parse_seconds_like) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = header_text(headers, "retry-after")?;
    if let Some(secs) = parse_seconds_like(value) {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Seconds as a number; anything over about 30 years is garbage, not a real request to wait.
fn parse_seconds_like(text: &str) -> Option<f64> {
    const ABSURD: f64 = 1e9;
    let value: f64 = text.trim().parse().ok()?;
    (value.is_finite() && (0.0..ABSURD).contains(&value)).then_some(value)
}

/// 0.5 s × 2ⁿ, at most 8 s, times a random factor between 0.75 and 1.
pub fn backoff(retry_index: u32) -> Duration {
    let base = BACKOFF_START
        .saturating_mul(1u32 << retry_index.min(8))
        .min(BACKOFF_CAP);
    base.mul_f64(1.0 - 0.25 * fastrand::f64())
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_ms_wins_over_retry_after() {
        let h = headers(&[("retry-after-ms", "1500"), ("retry-after", "30")]);
        assert_eq!(
            server_asked_wait(&h, SystemTime::now()),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn http_dates_are_relative_to_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(
            server_asked_wait(&headers(&[("retry-after", &later)]), now),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn garbage_values_fall_back_to_backoff() {
        for junk in [
            "nan",
            "-5",
            "inf",
            "Mon, 99 Foo 2026",
            "123456789012345678901234567890",
        ] {
            let h = headers(&[("retry-after", junk)]);
            match decide(429, &h, None, 0, SystemTime::now()) {
                RetryDecision::Retry(wait) => {
                    assert!(wait <= Duration::from_millis(500), "{junk}: {wait:?}")
                }
                other => panic!("{junk}: {other:?}"),
            }
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        for (index, nominal) in [(0, 500), (1, 1000), (2, 2000), (4, 8000), (9, 8000)] {
            let wait = backoff(index).as_millis() as u64;
            assert!(
                wait <= nominal && wait >= nominal * 3 / 4,
                "retry {index}: {wait} ms"
            );
        }
    }

    #[test]
    fn which_statuses_retry() {
        let none = HeaderMap::new();
        let now = SystemTime::now();
        for status in [408, 409, 429, 500, 502, 503] {
            assert!(
                matches!(decide(status, &none, None, 0, now), RetryDecision::Retry(_)),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 422] {
            assert_eq!(
                decide(status, &none, None, 0, now),
                RetryDecision::GiveUp,
                "{status}"
            );
        }
        assert_eq!(
            decide(429, &none, Some("insufficient_quota"), 0, now),
            RetryDecision::GiveUp
        );
        let no = headers(&[("x-should-retry", "false")]);
        assert_eq!(decide(500, &no, None, 0, now), RetryDecision::GiveUp);
        let yes = headers(&[("x-should-retry", "true")]);
        assert!(matches!(
            decide(400, &yes, None, 0, now),
            RetryDecision::Retry(_)
        ));
    }
}
