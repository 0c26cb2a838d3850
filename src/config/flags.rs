//! The flags that say where the API is, how to reach it, where images go
//! and how results are printed, in the groups `--help` shows them under.
//!
//! Each subcommand takes only the groups it uses, so `mock-server --help`
//! does not offer `--demo`. The app (no subcommand) takes them all, and so
//! does the top level before a subcommand: `artty --demo generate x` and
//! `artty generate --demo x` mean the same; [`GlobalArgs::merged`] joins the
//! two places into what a start-up resolves.

use std::path::PathBuf;

use clap::Args;

/// Where the API is and how requests reach it.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionFlags {
    /// Use a built-in fake server on loopback: no key, no network, no cost.
    #[arg(long)]
    pub demo: bool,
    /// API base URL (default https://api.openai.com/v1).
    #[arg(
        long,
        value_name = "URL",
        env = "OPENAI_BASE_URL",
        hide_env_values = true
    )]
    pub base_url: Option<String>,
    /// Organization ID, sent as the OpenAI-Organization header.
    #[arg(
        long = "org",
        value_name = "ID",
        env = "OPENAI_ORG_ID",
        hide_env_values = true
    )]
    pub organization: Option<String>,
    /// Project ID, sent as the OpenAI-Project header.
    #[arg(
        long,
        value_name = "ID",
        env = "OPENAI_PROJECT_ID",
        hide_env_values = true
    )]
    pub project: Option<String>,
    /// Give up on a request after this many seconds (default 600).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Retries on connection failures, 408, 409, 429 and 5xx (default 2).
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// Azure OpenAI: the endpoint from AZURE_OPENAI_ENDPOINT (or --base-url), the key from
    /// AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN (docs/azure.md).
    #[arg(long)]
    pub azure: bool,
    /// Azure: the api-version query parameter; without one, the /openai/v1 surface.
    #[arg(
        long,
        value_name = "VERSION",
        env = "OPENAI_API_VERSION",
        hide_env_values = true
    )]
    pub api_version: Option<String>,
    /// Azure: the deployment every request goes to (default: the model's name, or
    /// azure_deployments in config.toml).
    #[arg(long, value_name = "NAME")]
    pub deployment: Option<String>,
}

/// How results, progress and logs are printed.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputFlags {
    /// Print JSON, one object per line (docs/cli.md has the schema).
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Log requests to stderr (repeat for more); keys and signed links are never logged.
    #[arg(long, short, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// Where images are saved (and, for `gallery`, listed from).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct FolderFlag {
    /// The images' folder instead of the gallery's: saved to, listed from; `-`: the one image to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The interactive app's own flags.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "App")]
pub struct AppFlags {
    /// Write the time of each start-up phase to FILE.
    #[arg(long, value_name = "FILE")]
    pub startuptime: Option<PathBuf>,
    /// Requests run at once (default 2 in the app, 3 in a batch).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub jobs: Option<u16>,
    /// How to draw images (default: ask the terminal).
    #[arg(long, value_enum, value_name = "MODE")]
    pub graphics: Option<crate::images::graphics::GraphicsChoice>,
    /// Show animated GIFs as still pictures.
    #[arg(long)]
    pub no_animate: bool,
}

/// Every flag a start-up resolves, from wherever on the line it was given.
#[derive(Debug, Clone, Default)]
pub struct GlobalArgs {
    pub demo: bool,
    pub base_url: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub timeout: Option<u64>,
    pub retries: Option<u32>,
    pub azure: bool,
    pub api_version: Option<String>,
    pub deployment: Option<String>,
    pub out: Option<PathBuf>,
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub startuptime: Option<PathBuf>,
    pub jobs: Option<u16>,
    pub graphics: Option<crate::images::graphics::GraphicsChoice>,
    pub no_animate: bool,
    /// `--show`: draw saved images after a command, this way.
    pub show: Option<crate::images::graphics::GraphicsChoice>,
}

/// The groups one place on the command line gave.
#[derive(Debug, Clone, Default)]
pub struct FlagGroups {
    pub connection: ConnectionFlags,
    pub output: OutputFlags,
    pub folder: FolderFlag,
    pub app: AppFlags,
    pub show: Option<crate::images::graphics::GraphicsChoice>,
}

impl GlobalArgs {
    /// The top level's flags with a subcommand's over them: a flag given
    /// after the subcommand wins, a switch given in either place is on.
    pub fn merged(top: FlagGroups, sub: FlagGroups) -> GlobalArgs {
        let (t, s) = (top, sub);
        GlobalArgs {
            demo: t.connection.demo || s.connection.demo,
            base_url: s.connection.base_url.or(t.connection.base_url),
            organization: s.connection.organization.or(t.connection.organization),
            project: s.connection.project.or(t.connection.project),
            timeout: s.connection.timeout.or(t.connection.timeout),
            retries: s.connection.retries.or(t.connection.retries),
            azure: t.connection.azure || s.connection.azure,
            api_version: s.connection.api_version.or(t.connection.api_version),
            deployment: s.connection.deployment.or(t.connection.deployment),
            out: s.folder.out.or(t.folder.out),
            json: t.output.json || s.output.json,
            quiet: t.output.quiet || s.output.quiet,
            verbose: t.output.verbose.saturating_add(s.output.verbose),
            startuptime: s.app.startuptime.or(t.app.startuptime),
            jobs: s.app.jobs.or(t.app.jobs),
            graphics: s.app.graphics.or(t.app.graphics),
            no_animate: t.app.no_animate || s.app.no_animate,
            show: s.show.or(t.show),
        }
    }
}
