//! The flags every start-up takes, the app's and each command's: where
//! the API is, how to reach it and where images go.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use a built-in fake server on loopback: no key, no network, no cost.
    #[arg(long, global = true)]
    pub demo: bool,
    /// API base URL [env: OPENAI_BASE_URL] (default https://api.openai.com/v1).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Organization ID sent as OpenAI-Organization [env: OPENAI_ORG_ID].
    #[arg(long = "org", global = true, value_name = "ID")]
    pub organization: Option<String>,
    /// Project ID sent as OpenAI-Project [env: OPENAI_PROJECT_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub project: Option<String>,
    /// Give up on a request after this many seconds (default 600).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Retries on connection failures, 408, 409, 429 and 5xx (default 2).
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,
    /// Save images here instead of the gallery folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON object per line: each saved image, or the error.
    #[arg(long, global = true)]
    pub json: bool,
    /// No progress on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Log requests to stderr (repeat for more); keys and signed links are never logged.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Interactive app: write the time of each start-up phase to FILE.
    #[arg(long, value_name = "FILE")]
    pub startuptime: Option<PathBuf>,
    /// Requests run at once (default 2 in the app, 4 in a batch).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub jobs: Option<u16>,
    /// Interactive app: how to draw images (default: ask the terminal).
    #[arg(long, value_enum, value_name = "MODE")]
    pub graphics: Option<crate::images::graphics::GraphicsChoice>,
    /// Interactive app: show animated GIFs as still pictures.
    #[arg(long)]
    pub no_animate: bool,
}
