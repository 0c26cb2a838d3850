//! The command line, as clap types. Flags mirror the API's parameters.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

pub use crate::config::GlobalArgs;
use crate::config::flags::{AppFlags, ConnectionFlags, FlagGroups, FolderFlag, OutputFlags};

/// Shown under every command's help: where the settings come from, what
/// the exit status means, where to read more.
pub const AFTER_HELP: &str = "\
Without a command, artty opens the interactive app.

Environment:
  OPENAI_API_KEY     the API key (else the one `artty auth set` stored)
  OPENAI_BASE_URL    the API's base URL (as --base-url)
  OPENAI_ORG_ID      the organization (as --org)
  OPENAI_PROJECT_ID  the project (as --project)
  ARTTY_CONFIG_DIR, ARTTY_DATA_DIR  other folders for settings and images
  HTTPS_PROXY, NO_PROXY, SSL_CERT_FILE  proxies and extra certificates

Exit status:
  0 done, every image on disk    1 a local failure (disk, folder)
  2 invalid input or no key      3 the API refused or failed the request
  4 network failure or timeout

Docs: docs/cli.md (commands, JSON), docs/keybindings.md (the app).";

#[derive(Debug, Parser)]
#[command(
    name = "artty",
    version,
    about = "Make images with OpenAI's image API from the terminal",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub app: AppFlags,
    #[command(flatten)]
    pub connection: ConnectionFlags,
    #[command(flatten)]
    pub output: OutputFlags,
    #[command(flatten)]
    pub folder: FolderFlag,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The command line's definition, every subcommand's help ending with
/// [`AFTER_HELP`]: what the parser, the completions and the man page use.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommands(|sub| sub.after_help(AFTER_HELP))
}

impl Cli {
    /// The parsed command line; on bad flags or `--help`, clap prints and
    /// exits, as `Parser::parse` does.
    pub fn parse_args() -> Cli {
        let matches = command().get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit())
    }

    /// Every flag, from before and after the subcommand.
    pub fn global(&self) -> GlobalArgs {
        let top = FlagGroups {
            connection: self.connection.clone(),
            output: self.output.clone(),
            folder: self.folder.clone(),
            app: self.app.clone(),
            show: None,
        };
        let sub = self
            .command
            .as_ref()
            .map(Command::groups)
            .unwrap_or_default();
        GlobalArgs::merged(top, sub)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make images from a prompt.
    Generate {
        /// The prompt; `-` reads it from stdin.
        #[arg(required_unless_present = "prompts")]
        prompt: Option<String>,
        /// Another prompt, made after the first (repeat for more): one request each.
        #[arg(long = "prompt", short = 'p', value_name = "PROMPT")]
        prompts: Vec<String>,
        /// With `-`: each non-empty line of stdin is a prompt of its own.
        #[arg(long)]
        each_line: bool,
        #[command(flatten)]
        params: ParamArgs,
        #[command(flatten)]
        flags: ImageFlags,
    },
    /// Edit images: inpaint with a mask, or combine reference images.
    Edit {
        /// The prompt; `-` reads it from stdin.
        prompt: String,
        /// An input image (repeat for several, GPT image models take up to 16).
        #[arg(long = "image", required = true, value_name = "FILE")]
        images: Vec<PathBuf>,
        /// A PNG of the first image's size whose transparent pixels mark the area to change.
        #[arg(long, value_name = "FILE")]
        mask: Option<PathBuf>,
        /// A transparent PNG of marks (strokes, arrows, boxes) over the first image,
        /// of its size; the prompt says what each mark means.
        #[arg(long, value_name = "FILE")]
        markup: Option<PathBuf>,
        #[command(flatten)]
        params: ParamArgs,
        #[command(flatten)]
        flags: ImageFlags,
    },
    /// Make variations of an image (dall-e-2).
    Vary {
        /// The image to vary: a square PNG under 4 MB.
        #[arg(long, value_name = "FILE")]
        image: PathBuf,
        #[command(flatten)]
        params: ParamArgs,
        #[command(flatten)]
        flags: ImageFlags,
    },
    /// Run a batch file: a prompt per line, or JSON Lines with per-line
    /// parameters. Lines already in the gallery are skipped, so running it
    /// again resumes it. Flags give the parameters of lines that name none.
    Batch {
        /// The batch file.
        file: PathBuf,
        #[command(flatten)]
        params: ParamArgs,
        /// Requests at once (default 3).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
        jobs: Option<u16>,
        /// Submit the lines to OpenAI's Batch API instead of running them
        /// here: half the price, done within 24 hours; `artty batches fetch`
        /// saves the images (docs/batches.md).
        #[arg(long, conflicts_with = "jobs")]
        batch_api: bool,
        #[command(flatten)]
        flags: ImageFlags,
    },
    /// Batches submitted to OpenAI's Batch API: their progress, cancelling
    /// them, and their images fetched into the gallery.
    Batches {
        #[command(subcommand)]
        action: BatchesAction,
    },
    /// List the models artty knows and, with a key, those the account has.
    Models {
        /// Do not ask the server.
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// List the saved images, newest first (with --json, one object a line).
    Gallery {
        /// Also decode every image and report any that cannot be read (exit 1).
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        output: OutputFlags,
        #[command(flatten)]
        folder: FolderFlag,
    },
    /// What the saved images cost: today, this week, this month and in all, by model,
    /// from the costs their sidecars recorded (from usage, or estimated from prices).
    Cost {
        #[command(flatten)]
        output: OutputFlags,
        #[command(flatten)]
        folder: FolderFlag,
    },
    /// Manage the API key.
    Auth {
        #[command(subcommand)]
        action: AuthAction,
    },
    /// Print the interactive app's key bindings (keys.toml applied) as Markdown
    /// (with --json, one object per binding).
    Keys {
        #[command(flatten)]
        output: OutputFlags,
    },
    /// Print a shell completion script: `artty completions bash > ~/.local/share/bash-completion/completions/artty`.
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `artty man > artty.1; man -l artty.1`.
    Man {
        /// Write artty.1 and a page per command (artty-generate.1, …) into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Run the fake images server until interrupted.
    MockServer {
        /// The loopback port to listen on.
        #[arg(long, default_value_t = 4010)]
        port: u16,
        /// Port for result URLs (0: any free port).
        #[arg(long, default_value_t = 0)]
        files_port: u16,
        /// Accept only this key (default: any).
        #[arg(long)]
        key: Option<String>,
        /// Serve as an Azure OpenAI resource that takes this api-version (docs/azure.md).
        #[arg(long, value_name = "VERSION")]
        azure_api_version: Option<String>,
        /// Seconds a batch takes from creation to completion (docs/batches.md).
        #[arg(long, default_value_t = 60, value_name = "N")]
        batch_seconds: u64,
        /// Give every batch answer one incompressible image of about N bytes,
        /// so output files of any size are made quickly (memory measurements).
        #[arg(long, value_name = "N", hide = true)]
        batch_answer_bytes: Option<usize>,
        #[command(flatten)]
        output: OutputFlags,
    },
}

/// The groups an image command takes: where, how, and where to save.
#[derive(Debug, Clone, Default, Args)]
pub struct ImageFlags {
    #[command(flatten)]
    pub connection: ConnectionFlags,
    #[command(flatten)]
    pub output: OutputFlags,
    #[command(flatten)]
    pub folder: FolderFlag,
    #[command(flatten)]
    pub show: ShowFlag,
}

/// Drawing each saved image in the terminal.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct ShowFlag {
    /// Draw each saved image in the terminal after its path, as the app does
    /// (`--show=MODE`: auto, kitty, sixel, iterm, blocks; default auto: ask the terminal).
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "auto")]
    pub show: Option<crate::images::graphics::GraphicsChoice>,
}

/// The groups a command that only talks to the server takes.
#[derive(Debug, Clone, Default, Args)]
pub struct ServerFlags {
    #[command(flatten)]
    pub connection: ConnectionFlags,
    #[command(flatten)]
    pub output: OutputFlags,
}

impl Command {
    /// The flag groups given after the subcommand.
    fn groups(&self) -> FlagGroups {
        let image = |flags: &ImageFlags| FlagGroups {
            connection: flags.connection.clone(),
            output: flags.output.clone(),
            folder: flags.folder.clone(),
            app: AppFlags::default(),
            show: flags.show.show,
        };
        let server = |flags: &ServerFlags| FlagGroups {
            connection: flags.connection.clone(),
            output: flags.output.clone(),
            ..FlagGroups::default()
        };
        match self {
            Command::Generate { flags, .. }
            | Command::Edit { flags, .. }
            | Command::Vary { flags, .. } => image(flags),
            Command::Batch { flags, jobs, .. } => FlagGroups {
                app: AppFlags {
                    jobs: *jobs,
                    ..AppFlags::default()
                },
                ..image(flags)
            },
            Command::Models { flags, .. } => server(flags),
            Command::Batches { action } => match action {
                BatchesAction::List { flags }
                | BatchesAction::Status { flags, .. }
                | BatchesAction::Cancel { flags, .. } => server(flags),
                BatchesAction::Fetch { flags, .. } | BatchesAction::Retry { flags, .. } => {
                    image(flags)
                }
            },
            Command::Auth { action } => match action {
                AuthAction::Set { flags, .. } | AuthAction::Status { flags, .. } => server(flags),
                AuthAction::Clear { output } => FlagGroups {
                    output: output.clone(),
                    ..FlagGroups::default()
                },
            },
            Command::Gallery { output, folder, .. } | Command::Cost { output, folder } => {
                FlagGroups {
                    output: output.clone(),
                    folder: folder.clone(),
                    ..FlagGroups::default()
                }
            }
            Command::Keys { output } | Command::MockServer { output, .. } => FlagGroups {
                output: output.clone(),
                ..FlagGroups::default()
            },
            Command::Completions { .. } | Command::Man { .. } => FlagGroups::default(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum BatchesAction {
    /// The batches submitted from here, newest first, with their progress.
    List {
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// One batch's progress and, once fetched, its failed lines.
    Status {
        /// The API's batch id (batch_…), or artty's name for it.
        id: String,
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// Cancel a batch; what it made before stopping can still be fetched.
    Cancel {
        /// The API's batch id (batch_…), or artty's name for it.
        id: String,
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// Save the images of finished batches into the gallery (every open
    /// batch, or ID). Each image is saved once, however often it is run.
    Fetch {
        /// One batch only.
        id: Option<String>,
        #[command(flatten)]
        flags: ImageFlags,
    },
    /// Send the lines of a finished batch that made no image again, as a new batch.
    Retry {
        /// The API's batch id (batch_…), or artty's name for it.
        id: String,
        #[command(flatten)]
        flags: ImageFlags,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuthAction {
    /// Store a key, read from stdin or typed at a hidden prompt (never from the command line).
    Set {
        /// Check the key with the server before saving it.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// Show where the key comes from (masked) and the server settings.
    Status {
        /// Check the key with the server.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        flags: ServerFlags,
    },
    /// Remove the stored key.
    Clear {
        #[command(flatten)]
        output: OutputFlags,
    },
}

/// The API's parameters. Unset flags are not sent.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Request")]
pub struct ParamArgs {
    /// Model name (default: the newest model without a shutdown date).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,
    /// Size: auto or WIDTHxHEIGHT, as the model allows.
    #[arg(long, short, value_name = "SIZE")]
    pub size: Option<String>,
    /// Rendering quality: low, medium, high or auto; xhigh and max on gpt-image-2.5 and 2.6.
    #[arg(long, value_name = "QUALITY")]
    pub quality: Option<String>,
    /// Planning spent on the image, apart from quality: low, medium or high.
    #[arg(long, value_name = "LEVEL")]
    pub complexity: Option<String>,
    /// Style: vivid or natural (dall-e-3).
    #[arg(long, value_name = "STYLE")]
    pub style: Option<String>,
    /// Number of images.
    #[arg(short = 'n', long = "count")]
    pub n: Option<u8>,
    /// Background: auto, opaque or transparent (GPT image models).
    #[arg(long, value_name = "MODE")]
    pub background: Option<String>,
    /// Output format: png, jpeg or webp; gif and svg on gpt-image-2.6.
    #[arg(long = "format", value_name = "FORMAT")]
    pub output_format: Option<String>,
    /// GIF frames, 2-16 (default 9).
    #[arg(long = "frames", value_name = "N")]
    pub frame_count: Option<u8>,
    /// Milliseconds per GIF frame, at least 20, in steps of 10 (default 200).
    #[arg(long = "frame-ms", value_name = "MS")]
    pub frame_duration_ms: Option<u32>,
    /// The text model that writes an SVG (sent only when given).
    #[arg(long, value_name = "MODEL")]
    pub svg_model: Option<String>,
    /// How hard the SVG author reasons: none, minimal, low, medium, high, xhigh, max.
    #[arg(long, value_name = "EFFORT")]
    pub svg_effort: Option<String>,
    /// Compression level in percent, for jpeg and webp.
    #[arg(long = "compression", value_name = "0-100")]
    pub output_compression: Option<u8>,
    /// Content moderation: auto or low.
    #[arg(long, value_name = "LEVEL")]
    pub moderation: Option<String>,
    /// low or high: how closely an edit keeps the input's details.
    #[arg(long = "fidelity", value_name = "LEVEL")]
    pub input_fidelity: Option<String>,
    /// Stream the answer (partial images as they are drawn).
    #[arg(long)]
    pub stream: bool,
    /// Partial images while streaming, 0-3.
    #[arg(long, value_name = "N")]
    pub partial_images: Option<u8>,
    /// How the server returns images: url or b64_json (DALL·E models; artty downloads URLs at once).
    #[arg(long, value_name = "FORMAT")]
    pub response_format: Option<String>,
    /// A stable end-user id (hash it) for the API's abuse monitoring.
    #[arg(long = "safety-id", value_name = "ID")]
    pub safety_identifier: Option<String>,
    /// The older name of --safety-id, still accepted by the API.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_command(command: &clap::Command) -> Vec<clap::Command> {
        let mut all = vec![command.clone()];
        for sub in command.get_subcommands() {
            all.extend(every_command(sub));
        }
        all
    }

    #[test]
    fn the_definition_holds_together_and_every_flag_says_what_it_does() {
        let command = command();
        command.clone().debug_assert();
        for sub in every_command(&command) {
            for arg in sub.get_arguments() {
                assert!(
                    arg.get_help().is_some(),
                    "`{} {}` has no description",
                    sub.get_name(),
                    arg.get_id()
                );
            }
            assert!(
                sub.get_about().is_some(),
                "`{}` has no about",
                sub.get_name()
            );
        }
    }

    #[test]
    fn a_flag_after_the_command_wins_over_one_before_it() {
        let cli = Cli::try_parse_from([
            "artty",
            "--timeout",
            "5",
            "--json",
            "generate",
            "--timeout",
            "9",
            "-q",
            "x",
        ])
        .unwrap();
        let global = cli.global();
        assert_eq!(global.timeout, Some(9));
        assert!(global.json && global.quiet);
    }
}
