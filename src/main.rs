//! The `artty` command.

use clap::Parser;

use artty::cli::args::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("artty: error: could not start: {err}");
            return std::process::ExitCode::from(1);
        }
    };
    let exit = runtime.block_on(artty::cli::run(cli));
    std::process::ExitCode::from(exit as u8)
}

/// Logs go to stderr, off unless asked for with -v or RUST_LOG.
fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "off",
        1 => "artty=info",
        _ => "artty=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
