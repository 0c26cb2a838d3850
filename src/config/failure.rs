//! How start-up and commands fail: the words for the user and the exit
//! code, as documented in docs/cli.md.

use crate::api::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done = 0,
    /// A local failure: the disk, the terminal.
    Local = 1,
    /// Invalid input: nothing was sent.
    Invalid = 2,
    /// The API refused or failed the request.
    Api = 3,
    /// The network failed or timed out.
    Network = 4,
}

impl Exit {
    pub fn of(err: &ApiError) -> Exit {
        match err {
            ApiError::NoKey => Exit::Invalid,
            e if e.is_network() => Exit::Network,
            _ => Exit::Api,
        }
    }
}

/// A command's failure: the words for the user and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    /// The API error, when there is one, for `--json`.
    pub api: Option<ApiError>,
}

impl Failure {
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Invalid,
            message: message.into(),
            api: None,
        }
    }

    pub fn local(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Local,
            message: message.into(),
            api: None,
        }
    }
}

impl Failure {
    /// What failed, as a word for `--json`: the API error's kind, else
    /// what the exit status says.
    pub fn kind(&self) -> &'static str {
        match (&self.api, self.exit) {
            (Some(api), _) => api.kind(),
            (None, Exit::Done) => "none",
            (None, Exit::Local) => "local",
            (None, Exit::Invalid) => "invalid_input",
            (None, Exit::Api) => "api",
            (None, Exit::Network) => "network",
        }
    }
}

impl From<ApiError> for Failure {
    fn from(err: ApiError) -> Failure {
        Failure {
            exit: Exit::of(&err),
            message: err.user_message(),
            api: Some(err),
        }
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(err: crate::store::StoreError) -> Failure {
        Failure::local(crate::util::inert::inert(&err.to_string(), 500))
    }
}

/// `artty: error: …` on stderr. Messages can quote names from argv or
/// config files: their lines are kept, everything else escaped.
pub fn print_error(message: &str) {
    let lines: Vec<String> = message
        .lines()
        .map(|l| crate::util::inert::inert(l, 2000))
        .collect();
    eprintln!("artty: error: {}", lines.join("\n"));
}
