//! Everything that can go wrong talking to the images API, and the one
//! function that turns each case into words a user can act on.

use std::time::Duration;

/// What the server said when it refused a request (already made inert).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerSaid {
    pub status: u16,
    pub message: String,
    pub code: Option<String>,
    pub param: Option<String>,
    pub kind: Option<String>,
    pub request_id: Option<String>,
}

/// Why a result URL could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadFailure {
    /// 403/404/410 or an HTML/XML page instead of an image: the signed link is stale.
    Expired,
    Status(u16),
    Refused(String),
    Network(String),
    Timeout,
}

/// An images API failure. `Display` is the user-facing text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.user_message())]
pub enum ApiError {
    NoKey,
    InvalidKey(Box<ServerSaid>),
    OrgNotVerified(Box<ServerSaid>),
    PermissionDenied(Box<ServerSaid>),
    Moderation {
        said: Box<ServerSaid>,
        categories: Vec<String>,
    },
    Quota(Box<ServerSaid>),
    RateLimited {
        said: Box<ServerSaid>,
        asked_wait: Option<Duration>,
    },
    InvalidParameter(Box<ServerSaid>),
    /// The account has no access to GIF or SVG output for the model.
    FormatAccess {
        format: String,
        said: Box<ServerSaid>,
    },
    Server {
        said: Box<ServerSaid>,
        attempts: u32,
    },
    Http(Box<ServerSaid>),
    /// The request never reached the server (nothing listening, DNS, TLS).
    Connect {
        host: String,
        detail: String,
        attempts: u32,
    },
    /// The connection died after the request was sent: it may have been billed.
    ConnectionLost {
        detail: String,
    },
    Timeout {
        after: Duration,
        sent: bool,
    },
    NoImage {
        request_id: Option<String>,
    },
    BadImage {
        detail: String,
        request_id: Option<String>,
    },
    TooLarge {
        what: &'static str,
        limit: u64,
    },
    StreamIncomplete {
        partials: usize,
        request_id: Option<String>,
    },
    Protocol {
        detail: String,
        request_id: Option<String>,
    },
    Download {
        failure: DownloadFailure,
        location: String,
    },
    /// A batch's output or error file stopped arriving partway: nothing is
    /// billed by reading it, so it is simply downloaded again.
    FileDownload {
        file: String,
        detail: String,
    },
}

impl ApiError {
    /// A stable name for scripts (`--json` output).
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::NoKey => "no_key",
            ApiError::InvalidKey(_) => "invalid_key",
            ApiError::OrgNotVerified(_) => "organization_not_verified",
            ApiError::PermissionDenied(_) => "permission_denied",
            ApiError::Moderation { .. } => "moderation",
            ApiError::Quota(_) => "quota",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::InvalidParameter(_) => "invalid_parameter",
            ApiError::FormatAccess { .. } => "no_format_access",
            ApiError::Server { .. } => "server_error",
            ApiError::Http(_) => "http_error",
            ApiError::Connect { .. } => "network",
            ApiError::ConnectionLost { .. } => "connection_lost",
            ApiError::Timeout { .. } => "timeout",
            ApiError::NoImage { .. } => "no_image",
            ApiError::BadImage { .. } => "bad_image",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::StreamIncomplete { .. } => "stream_incomplete",
            ApiError::Protocol { .. } => "protocol",
            ApiError::Download { .. } => "download",
            ApiError::FileDownload { .. } => "file_download",
        }
    }

    /// True for failures of the network rather than of the request.
    pub fn is_network(&self) -> bool {
        match self {
            ApiError::Connect { .. }
            | ApiError::ConnectionLost { .. }
            | ApiError::FileDownload { .. }
            | ApiError::Timeout { .. } => true,
            ApiError::Download { failure, .. } => {
                matches!(
                    failure,
                    DownloadFailure::Network(_) | DownloadFailure::Timeout
                )
            }
            _ => false,
        }
    }

    /// True when the request reached the server and may have been charged.
    pub fn may_have_been_billed(&self) -> bool {
        matches!(
            self,
            ApiError::ConnectionLost { .. } | ApiError::Timeout { sent: true, .. }
        )
    }

    pub fn server_said(&self) -> Option<&ServerSaid> {
        match self {
            ApiError::InvalidKey(s)
            | ApiError::OrgNotVerified(s)
            | ApiError::PermissionDenied(s)
            | ApiError::Quota(s)
            | ApiError::InvalidParameter(s)
            | ApiError::Http(s)
            | ApiError::Moderation { said: s, .. }
            | ApiError::FormatAccess { said: s, .. }
            | ApiError::RateLimited { said: s, .. }
            | ApiError::Server { said: s, .. } => Some(&**s),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::NoImage { request_id }
            | ApiError::BadImage { request_id, .. }
            | ApiError::StreamIncomplete { request_id, .. }
            | ApiError::Protocol { request_id, .. } => request_id.as_deref(),
            other => other.server_said().and_then(|s| s.request_id.as_deref()),
        }
    }

    /// The message shown to the user: what happened and what to do about it.
    pub fn user_message(&self) -> String {
        self.user_message_for(false)
    }

    /// The message, for a key that came from `OPENAI_API_KEY` when
    /// `key_from_env`: the advice then names the variable, which
    /// `artty auth set` cannot override.
    pub fn user_message_for(&self, key_from_env: bool) -> String {
        let text = match self {
            ApiError::InvalidKey(_) if key_from_env => ENV_KEY_REFUSED.to_string(),
            _ => self.describe(),
        };
        match self.request_id() {
            Some(id) => format!("{text} (request id {id})"),
            None => text,
        }
    }

    fn describe(&self) -> String {
        match self {
            ApiError::NoKey => "No API key: set OPENAI_API_KEY, or run `artty auth set`, or try `--demo`.".into(),
            ApiError::InvalidKey(_) => "The API key was refused (401). Check it with `artty auth status` and set a \
                 working one with `artty auth set`; keys are at https://platform.openai.com/api-keys."
                .into(),
            ApiError::OrgNotVerified(_) => "Your organization must be verified to use this model (403). Verify it at \
                 https://platform.openai.com/settings/organization/general (it can take a few minutes to apply), \
                 or choose another model."
                .into(),
            ApiError::PermissionDenied(s) => format!(
                "Permission denied (403): {} Check that the key's project may use this model.",
                sentence(&s.message)
            ),
            ApiError::Moderation { said, categories } => moderation_text(said, categories),
            ApiError::Quota(s) => format!(
                "Out of credit or over the billing limit ({}): add credit or raise the limit at \
                 https://platform.openai.com/settings/organization/billing.",
                s.code.as_deref().unwrap_or("quota")
            ),
            ApiError::RateLimited { asked_wait, said } => rate_limit_text(*asked_wait, said),
            ApiError::InvalidParameter(s) => match &s.param {
                Some(param) => format!("The server refused parameter `{param}` (HTTP {}): {}", s.status, s.message),
                None => format!("The server refused the request (HTTP {}): {}", s.status, s.message),
            },
            ApiError::FormatAccess { format, said } => format!(
                "Your organization does not have access to {} output for this model (HTTP {}): {} Ask OpenAI \
                 for access, or choose png, jpeg or webp.",
                format.to_uppercase(),
                said.status,
                sentence(&said.message)
            ),
            ApiError::Server { said, attempts } => format!(
                "The server failed (HTTP {}) after {attempts} attempt(s): {} Try again later.",
                said.status,
                sentence(&said.message)
            ),
            ApiError::Http(s) => format!("The server answered HTTP {}: {}", s.status, s.message),
            ApiError::Connect { host, detail, attempts } if is_certificate_problem(detail) => format!(
                "Could not reach {host}: its TLS certificate is not trusted ({}). If a proxy or a private CA \
                 signs it, set SSL_CERT_FILE to a PEM bundle holding that CA (it replaces the system's \
                 certificates) or SSL_CERT_DIR to a folder of them; otherwise check the base URL. \
                 {attempts} attempt(s).",
                detail.trim_end_matches('.')
            ),
            ApiError::Connect { host, detail, attempts } => format!(
                "Could not reach {host} after {attempts} attempt(s): {} Check the network and the base URL.",
                sentence(detail)
            ),
            ApiError::ConnectionLost { detail } => format!(
                "The connection dropped after the request was sent ({detail}). It may have been billed: check \
                 your usage before trying again."
            ),
            ApiError::Timeout { after, sent } => format!(
                "No answer within {} s{}. Large or high-quality images can take minutes: raise --timeout.",
                after.as_secs(),
                if *sent { "; the request was sent and may have been billed" } else { "" }
            ),
            ApiError::NoImage { .. } => "The server returned no image.".into(),
            ApiError::BadImage { detail, .. } => format!("The server returned data that is not a valid image: {}", sentence(detail)),
            ApiError::TooLarge { what, limit } => {
                format!("The {what} was larger than the limit of {} MB and was stopped.", limit / (1024 * 1024))
            }
            ApiError::StreamIncomplete { partials, .. } => format!(
                "The stream ended before the final image ({partials} partial image(s) received); nothing was saved."
            ),
            ApiError::Protocol { detail, .. } => format!("The server's answer could not be read: {}", sentence(detail)),
            ApiError::Download { failure, location } => download_text(failure, location),
            ApiError::FileDownload { file, detail } => format!(
                "Downloading the batch file {file} broke off: {} Nothing was lost: fetch again to download it anew.",
                sentence(detail)
            ),
        }
    }
}

/// Text from elsewhere (a server, the OS) as a sentence of ours: ended by
/// exactly one full stop, unless it already ends with `.`, `!` or `?`, so
/// joined messages never read "that!." or "[violence]..".
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return "no details.".into();
    }
    match text.chars().last() {
        Some('.' | '!' | '?') => text.to_string(),
        _ => format!("{text}."),
    }
}

/// A refused key that came from the environment.
pub const ENV_KEY_REFUSED: &str = "The API key from OPENAI_API_KEY was refused (401). The variable wins over a saved \
     key: correct it, or unset it (`unset OPENAI_API_KEY`) to use the key `artty auth set` saves; keys are at \
     https://platform.openai.com/api-keys.";

fn moderation_text(said: &ServerSaid, categories: &[String]) -> String {
    let listed = if categories.is_empty() {
        String::new()
    } else {
        format!(" (categories: {})", categories.join(", "))
    };
    format!(
        "The request was blocked by the content policy{listed}: {} Rephrase the prompt; nothing was generated.",
        sentence(&said.message)
    )
}

fn rate_limit_text(asked_wait: Option<Duration>, said: &ServerSaid) -> String {
    match asked_wait {
        Some(wait) => format!(
            "Rate limited (429): the server asked to wait {} s, longer than artty waits on its own. Try again \
             later. {}",
            wait.as_secs(),
            said.message
        ),
        None => format!(
            "Rate limited (429) after retrying: {} Wait a little and try again.",
            sentence(&said.message)
        ),
    }
}

fn download_text(failure: &DownloadFailure, location: &str) -> String {
    match failure {
        DownloadFailure::Expired => {
            format!("The image link at {location} expired or is invalid; nothing was saved.")
        }
        DownloadFailure::Status(code) => {
            format!("Downloading the image from {location} failed with HTTP {code}.")
        }
        DownloadFailure::Refused(why) => {
            format!(
                "Refused to download the image from {location}: {}",
                sentence(why)
            )
        }
        DownloadFailure::Network(detail) => {
            format!(
                "Downloading the image from {location} failed: {}",
                sentence(detail)
            )
        }
        DownloadFailure::Timeout => format!("Downloading the image from {location} timed out."),
    }
}

/// Whether a connection failed on the server's certificate (rustls says
/// `invalid peer certificate: UnknownIssuer`, `…: Expired`, a bad name…).
fn is_certificate_problem(detail: &str) -> bool {
    let detail = detail.to_ascii_lowercase();
    [
        "certificate",
        "unknownissuer",
        "badsignature",
        "notvalidforname",
    ]
    .iter()
    .any(|word| detail.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(message: &str) -> Box<ServerSaid> {
        Box::new(ServerSaid {
            status: 500,
            message: message.into(),
            code: None,
            param: None,
            kind: None,
            request_id: None,
        })
    }

    #[test]
    fn joined_messages_end_each_sentence_once() {
        let server = ApiError::Server {
            said: said("The server had an error. Sorry about that!"),
            attempts: 3,
        };
        let text = server.user_message();
        assert!(
            text.contains("Sorry about that! Try again later."),
            "{text}"
        );
        let blocked = ApiError::Moderation {
            said: said("Your request was rejected: [violence]."),
            categories: vec!["violence".into()],
        };
        let text = blocked.user_message();
        assert!(text.contains("[violence]. Rephrase"), "{text}");
        let bare = ApiError::Server {
            said: said("overloaded"),
            attempts: 1,
        };
        assert!(bare.user_message().contains("overloaded. Try"));
        for text in [server.user_message(), blocked.user_message()] {
            assert!(!text.contains("..") && !text.contains("!."), "{text}");
        }
    }

    #[test]
    fn a_refused_key_from_the_environment_names_the_variable() {
        let refused = ApiError::InvalidKey(said("Incorrect API key provided"));
        assert!(refused.user_message().contains("artty auth set"));
        let from_env = refused.user_message_for(true);
        assert!(from_env.contains("OPENAI_API_KEY"), "{from_env}");
        assert!(!from_env.contains("set a working one with `artty auth set`"));
    }

    #[test]
    fn an_untrusted_certificate_names_ssl_cert_file() {
        let err = ApiError::Connect {
            host: "api.example.com".into(),
            detail: "invalid peer certificate: UnknownIssuer".into(),
            attempts: 1,
        };
        let text = err.user_message();
        assert!(
            text.contains("SSL_CERT_FILE") && text.contains("UnknownIssuer"),
            "{text}"
        );
        let refused = ApiError::Connect {
            host: "api.example.com".into(),
            detail: "Connection refused (os error 111)".into(),
            attempts: 3,
        };
        assert!(!refused.user_message().contains("SSL_CERT_FILE"));
    }
}
