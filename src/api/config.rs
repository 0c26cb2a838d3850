//! Connection settings for the images client.

use std::time::Duration;

use reqwest::Url;

use super::key::ApiKey;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// Settings for [`super::client::ImagesClient`]. Defaults follow the official SDKs,
/// except the request timeout: image requests legitimately take minutes.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub api_key: Option<ApiKey>,
    pub base_url: Url,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub connect_timeout: Duration,
    /// The whole request, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    pub max_retries: u32,
    pub max_response_bytes: u64,
    pub download_timeout: Duration,
    pub max_download_bytes: u64,
}

impl ClientConfig {
    pub fn new(base_url: Url) -> ClientConfig {
        ClientConfig {
            api_key: None,
            base_url,
            organization: None,
            project: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(600),
            max_retries: 2,
            max_response_bytes: 512 * 1024 * 1024,
            download_timeout: Duration::from_secs(120),
            max_download_bytes: 64 * 1024 * 1024,
        }
    }

    /// The URL of `path` under the base URL (`images/generations` → `…/v1/images/generations`).
    pub fn endpoint_url(&self, path: &str) -> Url {
        let mut url = self.base_url.clone();
        let joined = format!("{}/{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }

    pub fn host(&self) -> String {
        self.base_url.host_str().unwrap_or("the server").to_string()
    }

    /// True for OpenAI's own API, where shut-down models are refused before sending.
    pub fn is_openai(&self) -> bool {
        self.base_url.host_str() == Some("api.openai.com")
    }

    /// True when the key would travel in clear text to another machine.
    pub fn sends_key_in_clear(&self) -> bool {
        self.base_url.scheme() == "http" && !is_loopback(&self.base_url)
    }
}

/// Parses a base URL as the SDKs accept it: http(s) only, trailing slash optional.
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        _ => Err(format!("{text:?} must be an http:// or https:// URL")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_join_under_the_base_path() {
        let config = ClientConfig::new(parse_base_url("http://127.0.0.1:9/v1/").unwrap());
        assert_eq!(
            config.endpoint_url("images/edits").as_str(),
            "http://127.0.0.1:9/v1/images/edits"
        );
        assert!(!config.sends_key_in_clear());
        let remote = ClientConfig::new(parse_base_url("http://gpu-box.lan:8080/v1").unwrap());
        assert!(remote.sends_key_in_clear());
        assert!(parse_base_url("ftp://x/").is_err());
        assert!(ClientConfig::new(parse_base_url(DEFAULT_BASE_URL).unwrap()).is_openai());
    }
}
