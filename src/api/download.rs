//! Fetching result URLs. A separate HTTP client with no credentials at all:
//! result URLs point at storage hosts, and neither the key nor the
//! organization or project may ever reach them, on redirects neither.

use bytes::Bytes;
use reqwest::redirect::{Attempt, Policy};
use reqwest::{Client, Url};

use super::body::{Cap, error_chain, read_capped};
use super::config::ClientConfig;
use super::error::{ApiError, DownloadFailure};
use super::lazy_http::LazyClient;
use crate::images::probe::{ImageFormat, ImageInfo};
use crate::images::verify::verify;

const MAX_REDIRECTS: usize = 5;

/// Downloads images from result URLs.
#[derive(Debug, Clone)]
pub struct Downloader {
    /// Built on the first link: most answers carry their images inline.
    http: LazyClient,
    cap: Cap,
}

impl Downloader {
    pub fn new(config: &ClientConfig) -> Downloader {
        let connect_timeout = config.connect_timeout_within(config.download_timeout);
        let timeout = config.download_timeout;
        let http = LazyClient::new(move || {
            Client::builder()
                .redirect(Policy::custom(redirect_rule))
                // A redirect would otherwise name the signed link to the next host.
                .referer(false)
                .connect_timeout(connect_timeout)
                .timeout(timeout)
                .user_agent(super::config::USER_AGENT)
                .build()
        });
        let cap = Cap {
            bytes: config.max_download_bytes,
            timeout: config.download_timeout,
            what: "image download",
        };
        Downloader { http, cap }
    }

    /// Fetches `url` and checks that it is a whole image.
    pub async fn fetch(&self, url: &str) -> Result<(Bytes, ImageInfo), ApiError> {
        let location = shown_location(url);
        let fail = |failure| ApiError::Download {
            failure,
            location: location.clone(),
        };
        let parsed = Url::parse(url)
            .map_err(|_| fail(DownloadFailure::Refused("not a valid URL".into())))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(fail(DownloadFailure::Refused(
                "only http and https links are fetched".into(),
            )));
        }
        let http = self
            .http
            .get()
            .map_err(|why| fail(DownloadFailure::Network(why.to_string())))?;
        let mut response = http
            .get(parsed)
            .send()
            .await
            .map_err(|e| fail(transport_failure(&e)))?;
        let status = response.status().as_u16();
        if matches!(status, 401 | 403 | 404 | 410) {
            return Err(fail(DownloadFailure::Expired));
        }
        if !response.status().is_success() {
            return Err(fail(DownloadFailure::Status(status)));
        }
        let bytes = read_capped(&mut response, self.cap)
            .await
            .map_err(|e| match e {
                ApiError::Timeout { .. } => fail(DownloadFailure::Timeout),
                ApiError::ConnectionLost { detail } => fail(DownloadFailure::Network(detail)),
                other => other,
            })?;
        // A storage host answers an expired link with an HTML or XML page.
        if ImageFormat::sniff(&bytes).is_none() {
            return Err(fail(DownloadFailure::Expired));
        }
        let info = verify(&bytes).map_err(|e| ApiError::BadImage {
            detail: format!("{location}: {e}"),
            request_id: None,
        })?;
        Ok((bytes, info))
    }
}

fn transport_failure(err: &reqwest::Error) -> DownloadFailure {
    if err.is_redirect() {
        let why = error_chain(err);
        DownloadFailure::Refused(why)
    } else if err.is_timeout() {
        DownloadFailure::Timeout
    } else {
        DownloadFailure::Network(error_chain(err))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct RedirectRefused(&'static str);

fn redirect_rule(attempt: Attempt) -> reqwest::redirect::Action {
    match redirect_refusal(attempt.previous(), attempt.url()) {
        Some(why) => attempt.error(RedirectRefused(why)),
        None => attempt.follow(),
    }
}

/// Why a redirect from the chain `previous` to `next` is refused, if it is.
pub fn redirect_refusal(previous: &[Url], next: &Url) -> Option<&'static str> {
    let downgrade =
        previous.last().is_some_and(|p| p.scheme() == "https") && next.scheme() != "https";
    if downgrade {
        Some("a redirect from https to http was refused")
    } else if previous.contains(next) {
        Some("the link redirects in a loop")
    } else if previous.len() > MAX_REDIRECTS {
        Some("too many redirects")
    } else {
        None
    }
}

/// A URL fit for messages and logs: scheme, host and path, never the query,
/// which carries the signature of a signed link.
pub fn shown_location(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) => format!(
            "{}://{}{}{}",
            parsed.scheme(),
            parsed.host_str().unwrap_or(""),
            parsed.port().map(|p| format!(":{p}")).unwrap_or_default(),
            crate::util::inert::inert(parsed.path(), 80)
        ),
        Err(_) => "an invalid link".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_that_downgrade_loop_or_run_on_are_refused() {
        let url = |s: &str| Url::parse(s).unwrap();
        let https = url("https://a.example/x");
        assert!(
            redirect_refusal(std::slice::from_ref(&https), &url("http://b.example/x"))
                .unwrap()
                .contains("https to http")
        );
        assert_eq!(
            redirect_refusal(std::slice::from_ref(&https), &url("https://b.example/x")),
            None
        );
        let chain = [url("http://a/1"), url("http://b/2")];
        assert!(
            redirect_refusal(&chain, &url("http://a/1"))
                .unwrap()
                .contains("loop")
        );
        let long: Vec<Url> = (0..6).map(|i| url(&format!("http://h/{i}"))).collect();
        assert!(
            redirect_refusal(&long, &url("http://h/next"))
                .unwrap()
                .contains("too many")
        );
    }

    #[test]
    fn signed_query_is_never_shown() {
        let shown = shown_location("https://store.example/img/a.png?sig=SECRET&se=2026");
        assert_eq!(shown, "https://store.example/img/a.png");
        let shown = shown_location("http://127.0.0.1:8123/f/a.png?sig=SECRET");
        assert_eq!(
            shown, "http://127.0.0.1:8123/f/a.png",
            "the port tells hosts apart"
        );
    }
}
