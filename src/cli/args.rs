//! The command line, as clap types. Flags mirror the API's parameters.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::config::GlobalArgs;

#[derive(Debug, Parser)]
#[command(
    name = "artty",
    version,
    about = "Make images with OpenAI's image API from the terminal"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make images from a prompt.
    Generate {
        /// The prompt; `-` reads it from stdin.
        prompt: String,
        #[command(flatten)]
        params: ParamArgs,
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
    },
    /// Make variations of an image (dall-e-2).
    Vary {
        #[arg(long, value_name = "FILE")]
        image: PathBuf,
        #[command(flatten)]
        params: ParamArgs,
    },
    /// Run a batch file: a prompt per line, or JSON Lines with per-line
    /// parameters. Lines already in the gallery are skipped, so running it
    /// again resumes it. Flags give the parameters of lines that name none.
    Batch {
        /// The batch file.
        file: PathBuf,
        #[command(flatten)]
        params: ParamArgs,
    },
    /// List the models artty knows and, with a key, those the account has.
    Models {
        /// Do not ask the server.
        #[arg(long)]
        offline: bool,
    },
    /// List the saved images, newest first (with --json, one object a line).
    Gallery {
        /// Also decode every image and report any that cannot be read (exit 1).
        #[arg(long)]
        check: bool,
    },
    /// Manage the API key.
    Auth {
        #[command(subcommand)]
        action: AuthAction,
    },
    /// Print the interactive app's key bindings (keys.toml applied) as Markdown.
    Keys,
    /// Run the fake images server until interrupted.
    MockServer {
        #[arg(long, default_value_t = 4010)]
        port: u16,
        /// Port for result URLs (0: any free port).
        #[arg(long, default_value_t = 0)]
        files_port: u16,
        /// Accept only this key (default: any).
        #[arg(long)]
        key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuthAction {
    /// Store a key, read from stdin or typed at a hidden prompt (never from the command line).
    Set {
        /// Check the key with the server before saving it.
        #[arg(long)]
        check: bool,
    },
    /// Show where the key comes from (masked) and the server settings.
    Status {
        /// Check the key with the server.
        #[arg(long)]
        check: bool,
    },
    /// Remove the stored key.
    Clear,
}

/// The API's parameters. Unset flags are not sent.
#[derive(Debug, Clone, Default, Args)]
pub struct ParamArgs {
    /// Model name (default: the newest model without a shutdown date).
    #[arg(long, short)]
    pub model: Option<String>,
    /// auto or WIDTHxHEIGHT, as the model allows.
    #[arg(long, short)]
    pub size: Option<String>,
    /// low, medium, high, auto; xhigh and max on gpt-image-2.5 and 2.6.
    #[arg(long)]
    pub quality: Option<String>,
    /// low, medium or high: planning spent on the image, apart from quality.
    #[arg(long)]
    pub complexity: Option<String>,
    /// vivid or natural (dall-e-3).
    #[arg(long)]
    pub style: Option<String>,
    /// Number of images.
    #[arg(short = 'n', long = "count")]
    pub n: Option<u8>,
    /// auto, opaque or transparent (GPT image models).
    #[arg(long)]
    pub background: Option<String>,
    /// Output format: png, jpeg or webp; gif and svg on gpt-image-2.6.
    #[arg(long = "format")]
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
    /// 0-100, for jpeg and webp.
    #[arg(long = "compression")]
    pub output_compression: Option<u8>,
    /// auto or low.
    #[arg(long)]
    pub moderation: Option<String>,
    /// low or high: how closely an edit keeps the input's details.
    #[arg(long = "fidelity")]
    pub input_fidelity: Option<String>,
    /// Stream the answer (partial images as they are drawn).
    #[arg(long)]
    pub stream: bool,
    /// 0-3 partial images while streaming.
    #[arg(long)]
    pub partial_images: Option<u8>,
    /// url or b64_json (DALL·E models; artty downloads URLs at once).
    #[arg(long)]
    pub response_format: Option<String>,
    /// A stable end-user id (hash it) for the API's abuse monitoring.
    #[arg(long = "safety-id", value_name = "ID")]
    pub safety_identifier: Option<String>,
    /// The older name of --safety-id, still accepted by the API.
    #[arg(long)]
    pub user: Option<String>,
}
