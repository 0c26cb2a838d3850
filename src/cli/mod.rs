//! The headless command line over `api` and `store`.

pub mod args;
pub mod auth_cmd;
mod batch_cmd;
mod gallery_cmd;
pub mod images_cmd;
pub mod models_cmd;
pub mod output;
mod save;

use clap::CommandFactory;

use crate::config::{Context, Exit, Failure};
use args::{Cli, Command};
use images_cmd::Ask;
use output::Output;

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> Exit {
    let out = Output {
        json: cli.global.json,
        quiet: cli.global.quiet,
    };
    match dispatch(cli, &out).await {
        Ok(()) => Exit::Done,
        Err(mut failure) => {
            // A refused key from OPENAI_API_KEY: the advice names the
            // variable, since `auth set` cannot override it.
            let from_env = std::env::var_os("OPENAI_API_KEY").is_some_and(|v| !v.is_empty());
            if let Some(api) = failure.api.as_ref().filter(|_| from_env) {
                failure.message = api.user_message_for(true);
            }
            out.failure(&failure);
            failure.exit
        }
    }
}

async fn dispatch(cli: Cli, out: &Output) -> Result<(), Failure> {
    let Some(command) = cli.command else {
        let _ = Cli::command().print_help();
        return Ok(());
    };
    if let Command::MockServer {
        port,
        files_port,
        key,
    } = command
    {
        return mock_server(port, files_port, key).await;
    }
    if let Command::Keys = command {
        return keys();
    }
    let ctx = Context::resolve(&cli.global, None).await?;
    for warning in &ctx.warnings {
        out.warn(warning);
    }
    match command {
        Command::Generate { prompt, params } => {
            images_cmd::run(&ctx, out, Ask::Generate { prompt }, &params).await
        }
        Command::Edit {
            prompt,
            images,
            mask,
            markup,
            params,
        } => {
            images_cmd::run(
                &ctx,
                out,
                Ask::Edit {
                    prompt,
                    images,
                    mask,
                    markup,
                },
                &params,
            )
            .await
        }
        Command::Vary { image, params } => {
            images_cmd::run(&ctx, out, Ask::Vary { image }, &params).await
        }
        Command::Batch { file, params } => {
            let slots = cli.global.jobs.map_or(batch_cmd::SLOTS, usize::from);
            batch_cmd::run(&ctx, out, file, &params, slots).await
        }
        Command::Models { offline } => models_cmd::run(&ctx, out, offline).await,
        Command::Gallery { check } => gallery_cmd::run(&ctx, out, check).await,
        Command::Auth { action } => auth_cmd::run(&ctx, action).await,
        Command::MockServer { .. } | Command::Keys => Ok(()),
    }
}

async fn mock_server(port: u16, files_port: u16, key: Option<String>) -> Result<(), Failure> {
    let options = crate::fake::FakeOptions {
        accepted_key: key,
        denied_formats: crate::fake::state::denied_formats_from_env(),
        ..Default::default()
    };
    let server = crate::fake::FakeServer::start_on(options, port, files_port)
        .await
        .map_err(|e| Failure::local(format!("could not listen on 127.0.0.1:{port}: {e}")))?;
    println!(
        "fake images server at {} (result files on {}); Ctrl-C stops it",
        server.base_url(),
        server.files_addr()
    );
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::local(e.to_string()))?;
    Ok(())
}

/// The key table in effect, so keys.toml edits can be checked.
fn keys() -> Result<(), Failure> {
    let dirs = crate::store::Dirs::from_env()?;
    let (keymap, warnings) = crate::config::loaders::keymap(&dirs);
    for warning in warnings {
        eprintln!(
            "artty: warning: {}",
            crate::util::inert::inert(&warning, 300)
        );
    }
    print!("{}", keymap.to_markdown());
    Ok(())
}
