//! `artty auth set|status|clear`. The key is read from stdin or a hidden
//! prompt, never from the command line, where `ps` and shell history see it.

use std::io::IsTerminal;

use serde_json::json;

use super::args::AuthAction;
use super::output::{Output, print_json};
use super::stdout;
use crate::api::{ApiKey, ImagesClient};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::secrets::{KeySource, clear_key, save_key};
use crate::util::inert::inert;

pub async fn run(ctx: &Context, out: &Output, action: AuthAction) -> Result<(), Failure> {
    match action {
        AuthAction::Set { check, .. } => set(ctx, out, check).await,
        AuthAction::Status { check, .. } => status(ctx, out, check).await,
        AuthAction::Clear { .. } => clear(ctx, out),
    }
}

async fn set(ctx: &Context, out: &Output, check: bool) -> Result<(), Failure> {
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("OpenAI API key (hidden): ")
            .map_err(|e| Failure::local(format!("could not read the key: {e}")))?
    } else {
        // A key is a line; a stream that runs on (`</dev/zero`) is not one.
        crate::store::local_file::read_stdin_text(64 * 1024)
            .map_err(|e| Failure::local(format!("could not read the key: {e}")))?
    };
    let key = ApiKey::new(&text)
        .ok_or_else(|| Failure::invalid("that is not a key: it is empty or holds spaces"))?;
    let checked = if check {
        let mut config = ctx.config.clone();
        config.api_key = Some(key.clone());
        let models = check_key(ImagesClient::new(config)?).await?;
        if !out.json {
            stdout::line(&works(models));
        }
        Some(models)
    } else {
        None
    };
    let path = save_key(&ctx.dirs, &key)?;
    if out.json {
        print_json(&json!({
            "status": "saved", "key": key.masked(), "path": path, "image_models": checked,
        }));
    } else {
        stdout::line(&format!(
            "saved {} to {} (readable by you only)",
            inert(&key.masked(), 100),
            inert(&path.display().to_string(), 1000)
        ));
    }
    if std::env::var_os("OPENAI_API_KEY").is_some() {
        eprintln!("artty: note: OPENAI_API_KEY is set and is used before the saved key");
    }
    Ok(())
}

async fn status(ctx: &Context, out: &Output, check: bool) -> Result<(), Failure> {
    let config = &ctx.config;
    let checked = match check {
        true => Some(check_key(ctx.client()?).await?),
        false => None,
    };
    if out.json {
        let source = match &ctx.key_source {
            Some(KeySource::Env) => Some("env"),
            Some(KeySource::AzureEnv(_)) => Some("azure_env"),
            Some(KeySource::File(_)) => Some("file"),
            Some(KeySource::Session) => Some("session"),
            None if config.api_key.is_some() => Some("demo"),
            None => None,
        };
        let file = match &ctx.key_source {
            Some(KeySource::File(path)) => Some(path),
            _ => None,
        };
        print_json(&json!({
            "key": config.api_key.as_ref().map(|key| key.masked()),
            "key_source": source,
            "key_file": file,
            "base_url": config.shown_base_url(),
            "organization": config.organization,
            "project": config.project,
            "gallery": ctx.gallery_dir,
            "image_models": checked,
        }));
        return Ok(());
    }
    let key = match (&config.api_key, &ctx.key_source) {
        (Some(key), Some(source)) => format!("{} from {source}", key.masked()),
        (Some(_), None) => "the demo server's".into(),
        _ => "none (set OPENAI_API_KEY or run `artty auth set`)".into(),
    };
    // Values come from the environment and files: shown inert.
    let show =
        |label: &str, value: &str| stdout::line(&format!("{label:<14}{}", inert(value, 500)));
    show("key:", &key);
    show("base URL:", &config.shown_base_url());
    show(
        "organization:",
        config.organization.as_deref().unwrap_or("(not set)"),
    );
    show("project:", config.project.as_deref().unwrap_or("(not set)"));
    show("gallery:", &ctx.gallery_dir.display().to_string());
    if let Some(models) = checked {
        stdout::line(&works(models));
    }
    Ok(())
}

fn clear(ctx: &Context, out: &Output) -> Result<(), Failure> {
    let removed = clear_key(&ctx.dirs)?;
    if out.json {
        let status = if removed { "removed" } else { "none" };
        print_json(&json!({ "status": status, "path": ctx.dirs.credentials() }));
    } else if removed {
        stdout::line(&format!(
            "removed {}",
            inert(&ctx.dirs.credentials().display().to_string(), 1000)
        ));
    } else {
        stdout::line("no stored key");
    }
    Ok(())
}

/// Asks the server for its model list, the cheapest request that proves
/// a key works; returns how many image models it offers.
async fn check_key(client: ImagesClient) -> Result<usize, Failure> {
    let models = client.list_models().await?;
    Ok(models
        .iter()
        .filter(|m| m.id.contains("image") || m.id.starts_with("dall-e"))
        .count())
}

fn works(image_models: usize) -> String {
    format!("key works: {image_models} image model(s) available")
}
