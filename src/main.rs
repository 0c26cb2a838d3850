//! The `artty` command: the interactive app without a subcommand, the
//! headless commands with one.

use std::time::Instant;

use artty::cli::args::Cli;
use artty::util::log_writer::MakeInert;
use artty::util::startuptime::StartupTimes;

fn main() -> std::process::ExitCode {
    let started = Instant::now();
    limit_malloc_arenas();
    let cli = Cli::parse_args();
    let global = cli.global();
    let mut times = StartupTimes::new(started, global.startuptime.clone());
    times.mark("arguments parsed");
    let interactive = cli.command.is_none();
    if interactive {
        // jiff finds the system time zone by walking /usr/share/zoneinfo,
        // about a seventh of start-up's own CPU; the first frame needs it
        // (today's costs), so it is looked up beside the runtime and the
        // settings. jiff keeps the answer for the model to take.
        std::thread::spawn(|| jiff::tz::TimeZone::try_system().is_ok());
    }
    init_logging(global.verbose, interactive);
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
    times.mark("runtime started");
    let code = if interactive {
        runtime.block_on(artty::app::run(&global, &mut times))
    } else {
        runtime.block_on(artty::cli::run(cli)) as u8
    };
    // Background tasks (a hung download, say) must not hold the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    std::process::ExitCode::from(code)
}

/// Logs go to stderr for commands, off unless asked for with -v or
/// RUST_LOG. The interactive app owns the screen, so it logs only to a file
/// named by ARTTY_LOG.
fn init_logging(verbose: u8, interactive: bool) {
    let default = match verbose {
        0 => "off",
        1 => "artty=info",
        _ => "artty=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // No colours: the writer escapes every control byte, colour codes too.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(false);
    if !interactive {
        builder.with_writer(MakeInert(std::io::stderr)).init();
        return;
    }
    let file = std::env::var_os("ARTTY_LOG").and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    if let Some(file) = file {
        builder
            .with_writer(MakeInert(std::sync::Mutex::new(file)))
            .init();
    }
}

/// glibc gives each thread that allocates its own arena (up to eight a
/// core) and seldom returns what is freed in them: thumbnails made on the
/// blocking pool grew the process from 86 to 120 MiB over three passes
/// through 10,000 images in sixel mode, where one arena stayed at 67 MiB,
/// flat (`scripts/paging-rss.sh`). Two keep the loop thread's allocations
/// apart from the workers'.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    const ARENAS: libc::c_int = 2;
    // SAFETY: mallopt only sets a parameter of the allocator, and this runs
    // first in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
