//! Connection settings for the images client.

use std::time::Duration;

use reqwest::Url;

use super::key::ApiKey;

/// Sent with every request, to the API and to result URLs alike.
pub const USER_AGENT: &str = concat!("artty/", env!("CARGO_PKG_VERSION"));

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
    /// Azure OpenAI's deployments surface: images under
    /// `…/openai/deployments/{deployment}/`, `api-version` on every request.
    pub azure: Option<AzureDeployments>,
}

/// How Azure OpenAI's deployments surface is addressed, as the official
/// SDK's `AzureOpenAI` client does it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AzureDeployments {
    /// The `api-version` query parameter, sent with every request.
    pub api_version: String,
    /// The key goes as the `api-key` header (an Azure key) rather than
    /// `Authorization: Bearer` (an Entra ID token).
    pub key_header: bool,
    /// One deployment for every model (`--deployment`).
    pub deployment: Option<String>,
    /// Each model's deployment, where it is not named as the model.
    pub deployments: std::collections::BTreeMap<String, String>,
}

impl AzureDeployments {
    /// The deployment a request for `model` goes to.
    pub fn deployment_for<'a>(&'a self, model: &'a str) -> &'a str {
        self.deployment
            .as_deref()
            .or_else(|| self.deployments.get(model).map(String::as_str))
            .unwrap_or(model)
    }
}

/// The endpoints Azure serves per deployment (the SDK's list, images part).
const DEPLOYMENT_PATHS: [&str; 2] = ["images/generations", "images/edits"];

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
            azure: None,
        }
    }

    /// The URL of `path` under the base URL (`images/generations` → `…/v1/images/generations`).
    pub fn endpoint_url(&self, path: &str) -> Url {
        let mut url = self.base_url.clone();
        let joined = format!("{}/{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }

    /// The URL a request to `path` for `model` goes to: [`Self::endpoint_url`],
    /// or on Azure's deployments surface the model's deployment in the path
    /// and `api-version` in the query.
    pub fn request_url(&self, path: &str, model: &str) -> Url {
        let Some(azure) = &self.azure else {
            return self.endpoint_url(path);
        };
        let mut url = self.endpoint_url("");
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            if DEPLOYMENT_PATHS.contains(&path) {
                // Pushed as a segment: a deployment name is escaped, never a path.
                segments
                    .push("deployments")
                    .push(azure.deployment_for(model));
            }
            segments.extend(path.split('/'));
        }
        url.query_pairs_mut()
            .append_pair("api-version", &azure.api_version);
        url
    }

    pub fn host(&self) -> String {
        self.base_url.host_str().unwrap_or("the server").to_string()
    }

    /// True for OpenAI's own API, where shut-down models are refused before sending.
    /// The server as sidecars and the screen name it: scheme, host, port
    /// and path, never credentials or a query.
    pub fn server_label(&self) -> String {
        let url = &self.base_url;
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "{}://{}{port}{}",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.path()
        )
    }

    pub fn is_openai(&self) -> bool {
        self.base_url.host_str() == Some("api.openai.com")
    }

    /// True when the key would travel in clear text to another machine.
    pub fn sends_key_in_clear(&self) -> bool {
        self.base_url.scheme() == "http" && !is_loopback(&self.base_url)
    }

    /// The warning to give before the key is sent, when anyone on the way
    /// could read it: a plain-http server on another machine, or a proxy
    /// that plain-http requests go through (the environment's proxy
    /// variables, which the HTTP client follows as the SDKs do).
    pub fn clear_text_warning(&self) -> Option<String> {
        if self.sends_key_in_clear() {
            return Some(format!(
                "{} is plain http to another machine: the API key travels unencrypted",
                shown_url(&self.base_url)
            ));
        }
        let proxy = http_proxy_for(&self.base_url, &|name| std::env::var(name).ok())?;
        Some(format!(
            "requests to {} go through the proxy {proxy} in plain http: the proxy can read the API key",
            shown_url(&self.base_url)
        ))
    }

    /// The base URL as shown: a password in it is never printed.
    pub fn shown_base_url(&self) -> String {
        shown_url(&self.base_url)
    }

    /// The connect timeout, kept inside a request's `budget`: a connection
    /// or TLS handshake that stalls for the whole budget is then reported
    /// as never sent (which it was not), not as sent and maybe billed.
    pub fn connect_timeout_within(&self, budget: Duration) -> Duration {
        self.connect_timeout.min(budget.mul_f64(0.9))
    }
}

/// A URL with any password in it replaced by `***`.
pub fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    crate::util::inert::inert(shown.as_str(), 300)
}

/// The proxy a plain-http request to `url` goes through, shown without its
/// password; `None` for https (the proxy only relays encrypted bytes), for
/// hosts `NO_PROXY` names, and when no proxy is set.
pub fn http_proxy_for(url: &Url, var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if url.scheme() != "http" {
        return None;
    }
    let first = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
    };
    let proxy = first(&["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"])?;
    let host = url.host_str().unwrap_or("");
    let excluded = first(&["no_proxy", "NO_PROXY"]).is_some_and(|list| {
        list.split(',').map(str::trim).any(|entry| {
            let entry = entry.trim_start_matches('.');
            entry == "*"
                || (!entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}"))))
        })
    });
    if excluded {
        return None;
    }
    Some(match Url::parse(&proxy) {
        Ok(parsed) => shown_url(&parsed),
        Err(_) => crate::util::inert::inert(&proxy, 100),
    })
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

    #[test]
    fn plain_http_through_a_proxy_is_named_and_passwords_are_never_shown() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let local = parse_base_url("http://127.0.0.1:8080/v1").unwrap();
        let proxied = env(&[("HTTP_PROXY", "http://user:hunter2@proxy.lan:3128")]);
        assert_eq!(
            http_proxy_for(&local, &proxied).as_deref(),
            Some("http://user:***@proxy.lan:3128/")
        );
        let secure = parse_base_url("https://api.openai.com/v1").unwrap();
        assert_eq!(http_proxy_for(&secure, &proxied), None, "CONNECT keeps TLS");
        let skipped = env(&[
            ("HTTP_PROXY", "http://p:1"),
            ("NO_PROXY", "localhost,.0.0.1,127.0.0.1"),
        ]);
        assert_eq!(http_proxy_for(&local, &skipped), None);
        let with_password = parse_base_url("http://me:s3cret@gpu-box.lan/v1").unwrap();
        let config = ClientConfig::new(with_password);
        let warning = config.clear_text_warning().unwrap();
        assert!(
            !warning.contains("s3cret") && warning.contains("me:***@"),
            "{warning}"
        );
        assert!(!config.shown_base_url().contains("s3cret"));
    }
}
