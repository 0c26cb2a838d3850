//! The headless command line over `api` and `store`.

pub mod args;
pub mod auth_cmd;
mod batch_cmd;
mod batch_fetch;
mod batch_submit;
mod batches_cmd;
pub mod cost_cmd;
mod gallery_cmd;
pub mod images_cmd;
pub mod models_cmd;
pub mod output;
pub mod progress;
pub mod stdout;

use crate::config::GlobalArgs;
use crate::config::{Context, Exit, Failure};
use args::{Cli, Command};
use images_cmd::Ask;
use output::Output;

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> Exit {
    let mut global = cli.global();
    // `--out -`: the one image goes to stdout (and, as every image, into
    // the gallery, so nothing made is lost when the pipe's reader fails).
    let image_to_stdout = global.out.as_deref() == Some(std::path::Path::new("-"));
    if image_to_stdout {
        global.out = None;
    }
    // Asked before any request, while nothing else is on the screen.
    let show = match global.show {
        Some(choice) if !image_to_stdout => {
            let found = crate::images::inline::detect(choice);
            if found.is_none() {
                eprintln!("artty: warning: --show draws on a terminal, and stdout is not one");
            }
            found
        }
        _ => None,
    };
    let out = Output {
        json: global.json,
        quiet: global.quiet,
        image_to_stdout,
        show,
        shown: std::sync::atomic::AtomicU32::new(0),
    };
    let result = dispatch(cli, &global, &out)
        .await
        .and_then(|()| match stdout::failure() {
            Some(err) => Err(Failure::local(format!("could not write the output: {err}"))),
            None => Ok(()),
        });
    match result {
        Ok(()) => Exit::Done,
        Err(mut failure) => {
            // A refused key from OPENAI_API_KEY: the advice names the
            // variable, since `auth set` cannot override it.
            let from_env = std::env::var_os("OPENAI_API_KEY").is_some_and(|v| !v.is_empty());
            // (No key at all is never that: with --azure, OPENAI_API_KEY is
            // set and rightly unused.)
            let refused = failure
                .api
                .as_ref()
                // Only a refused key is said anew: any other message may
                // carry what the command added to it.
                .filter(|api| from_env && matches!(api, crate::api::ApiError::InvalidKey(_)));
            if let Some(api) = refused {
                failure.message = api.user_message_for(true);
            }
            out.failure(&failure);
            failure.exit
        }
    }
}

async fn dispatch(cli: Cli, global: &GlobalArgs, out: &Output) -> Result<(), Failure> {
    let Some(command) = cli.command else {
        let _ = args::command().print_help();
        return Ok(());
    };
    if let Command::MockServer {
        port,
        files_port,
        key,
        azure_api_version,
        batch_seconds,
        batch_answer_bytes,
        ..
    } = command
    {
        let options = crate::fake::FakeOptions {
            accepted_key: key,
            denied_formats: crate::fake::state::denied_formats_from_env(),
            azure: azure_api_version,
            batch_seconds,
            batch_plan: crate::fake::BatchPlan {
                image_bytes: batch_answer_bytes,
                ..Default::default()
            },
            ..Default::default()
        };
        return mock_server(out, options, port, files_port).await;
    }
    match command {
        Command::Keys { .. } => return keys(out),
        Command::Completions { shell } => return completions(shell),
        Command::Man { dir } => return man_pages(dir.as_deref()),
        _ => {}
    }
    if out.image_to_stdout {
        stdout_image_allowed(&command, out)?;
    }
    let ctx = Context::resolve(global, None).await?;
    for warning in &ctx.warnings {
        out.warn(warning);
    }
    match command {
        Command::Generate {
            prompt,
            prompts,
            each_line,
            params,
            ..
        } => {
            let prompts = images_cmd::prompts(prompt, prompts, each_line)?;
            if out.image_to_stdout && prompts.len() > 1 {
                return Err(Failure::invalid(
                    "--out - writes one image to stdout: give one prompt",
                ));
            }
            images_cmd::run_each(&ctx, out, prompts, &params).await
        }
        Command::Edit {
            prompt,
            images,
            mask,
            markup,
            params,
            ..
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
        Command::Vary { image, params, .. } => {
            images_cmd::run(&ctx, out, Ask::Vary { image }, &params).await
        }
        Command::Batch {
            file,
            params,
            batch_api: true,
            ..
        } => batch_submit::submit(&ctx, out, file, &params).await,
        Command::Batch { file, params, .. } => {
            let slots = global.jobs.map_or(batch_cmd::SLOTS, usize::from);
            batch_cmd::run(&ctx, out, file, &params, slots).await
        }
        Command::Models { offline, .. } => models_cmd::run(&ctx, out, offline).await,
        Command::Batches { action } => batches_cmd::run(&ctx, out, action).await,
        Command::Cost { .. } => cost_cmd::run(&ctx, out).await,
        Command::Gallery { check, .. } => gallery_cmd::run(&ctx, out, check).await,
        Command::Auth { action } => auth_cmd::run(&ctx, out, action).await,
        Command::MockServer { .. }
        | Command::Keys { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => Ok(()),
    }
}

async fn mock_server(
    out: &Output,
    options: crate::fake::FakeOptions,
    port: u16,
    files_port: u16,
) -> Result<(), Failure> {
    let options_azure = options.azure.clone();
    let server = crate::fake::FakeServer::start_on(options, port, files_port)
        .await
        .map_err(|e| Failure::local(format!("could not listen on 127.0.0.1:{port}: {e}")))?;
    if out.json {
        output::print_json(&serde_json::json!({
            "status": "listening",
            "base_url": server.base_url(),
            "endpoint": server.endpoint(),
            "azure_api_version": options_azure,
            "files": format!("http://{}", server.files_addr()),
        }));
    }
    let at = match &options_azure {
        Some(version) => format!(
            "Azure OpenAI endpoint {} (api-version {version}, or /openai/v1)",
            server.endpoint()
        ),
        None => server.base_url(),
    };
    if !out.json {
        stdout::line(&format!(
            "fake images server at {at} (result files on {}); Ctrl-C stops it",
            server.files_addr()
        ));
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::local(e.to_string()))?;
    Ok(())
}

/// The key table in effect, so keys.toml edits can be checked.
fn keys(out: &Output) -> Result<(), Failure> {
    let dirs = crate::store::Dirs::from_env()?;
    let (keymap, warnings) = crate::config::loaders::keymap(&dirs);
    for warning in warnings {
        eprintln!(
            "artty: warning: {}",
            crate::util::inert::inert(&warning, 300)
        );
    }
    if !out.json {
        stdout::text(&keymap.to_markdown());
        return Ok(());
    }
    for (context, binding) in keymap.listing() {
        let keys: Vec<String> = binding.keys.iter().map(ToString::to_string).collect();
        output::print_json(&serde_json::json!({
            "context": context, "keys": keys,
            "command": binding.command.name(), "does": binding.help,
        }));
    }
    Ok(())
}

/// A completion script for `shell`, from the same clap definition as the
/// parser, so it cannot drift from the flags.
fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut args::command(), "artty", &mut script);
    stdout::bytes(&script);
    Ok(())
}

/// The manual page, in roff, from the clap definition: every flag's help,
/// the environment and the exit codes (`after_help`). With `dir`, the
/// pages of the commands too, which the main page's list names.
fn man_pages(dir: Option<&std::path::Path>) -> Result<(), Failure> {
    let command = args::command();
    let render = |command: clap::Command| {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map(|()| page)
            .map_err(|e| Failure::local(format!("could not write the manual page: {e}")))
    };
    let Some(dir) = dir else {
        stdout::bytes(&render(command)?);
        return Ok(());
    };
    let write = |name: &str, page: Vec<u8>| {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page).map_err(|e| {
            Failure::local(format!(
                "could not write {}: {e}",
                crate::util::inert::inert(&path.display().to_string(), 500)
            ))
        })?;
        stdout::line(&crate::util::inert::inert(
            &path.display().to_string(),
            4096,
        ));
        Ok::<(), Failure>(())
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::local(format!("could not make the folder: {e}")))?;
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        let name = format!("artty-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(format!("artty {}", sub.get_name()));
        write(&name, render(page)?)?;
    }
    write("artty", render(command)?)
}

/// `--out -` sends one image's bytes to stdout: for one image from one
/// request, never into a terminal or beside JSON on the same stream.
fn stdout_image_allowed(command: &Command, out: &Output) -> Result<(), Failure> {
    let params = match command {
        Command::Generate { params, .. }
        | Command::Edit { params, .. }
        | Command::Vary { params, .. } => params,
        _ => {
            return Err(Failure::invalid(
                "--out - (the image on stdout) is for generate, edit and vary",
            ));
        }
    };
    if params.n.unwrap_or(1) > 1 {
        return Err(Failure::invalid(
            "--out - writes one image to stdout: ask for -n 1, or save several with --out DIR",
        ));
    }
    if out.json {
        return Err(Failure::invalid(
            "--out - puts the image on stdout, where --json would print too: choose one",
        ));
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(Failure::invalid(
            "--out - would write the image's bytes into the terminal: redirect stdout (> file) or pipe it",
        ));
    }
    Ok(())
}
