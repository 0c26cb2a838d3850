//! `artty auth set|status|clear`. The key is read from stdin or a hidden
//! prompt, never from the command line, where `ps` and shell history see it.

use std::io::IsTerminal;

use super::args::AuthAction;
use crate::api::{ApiKey, ImagesClient};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::secrets::{clear_key, save_key};
use crate::util::inert::inert;

pub async fn run(ctx: &Context, action: AuthAction) -> Result<(), Failure> {
    match action {
        AuthAction::Set { check } => set(ctx, check).await,
        AuthAction::Status { check } => status(ctx, check).await,
        AuthAction::Clear => clear(ctx),
    }
}

async fn set(ctx: &Context, check: bool) -> Result<(), Failure> {
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
    if check {
        let mut config = ctx.config.clone();
        config.api_key = Some(key.clone());
        println!("{}", check_key(ImagesClient::new(config)?).await?);
    }
    let path = save_key(&ctx.dirs, &key)?;
    println!(
        "saved {} to {} (readable by you only)",
        inert(&key.masked(), 100),
        inert(&path.display().to_string(), 1000)
    );
    if std::env::var_os("OPENAI_API_KEY").is_some() {
        eprintln!("artty: note: OPENAI_API_KEY is set and is used before the saved key");
    }
    Ok(())
}

async fn status(ctx: &Context, check: bool) -> Result<(), Failure> {
    let config = &ctx.config;
    let key = match (&config.api_key, &ctx.key_source) {
        (Some(key), Some(source)) => format!("{} from {source}", key.masked()),
        (Some(_), None) => "the demo server's".into(),
        _ => "none (set OPENAI_API_KEY or run `artty auth set`)".into(),
    };
    // Values come from the environment and files: shown inert.
    let show = |label: &str, value: &str| println!("{label:<14}{}", inert(value, 500));
    show("key:", &key);
    show("base URL:", &config.shown_base_url());
    show(
        "organization:",
        config.organization.as_deref().unwrap_or("(not set)"),
    );
    show("project:", config.project.as_deref().unwrap_or("(not set)"));
    show("gallery:", &ctx.gallery_dir.display().to_string());
    if check {
        println!("{}", check_key(ctx.client()?).await?);
    }
    Ok(())
}

fn clear(ctx: &Context) -> Result<(), Failure> {
    if clear_key(&ctx.dirs)? {
        println!(
            "removed {}",
            inert(&ctx.dirs.credentials().display().to_string(), 1000)
        );
    } else {
        println!("no stored key");
    }
    Ok(())
}

/// Asks the server for its model list: the cheapest request that proves a key works.
async fn check_key(client: ImagesClient) -> Result<String, Failure> {
    let models = client.list_models().await?;
    let images = models
        .iter()
        .filter(|m| m.id.contains("image") || m.id.starts_with("dall-e"))
        .count();
    Ok(format!("key works: {images} image model(s) available"))
}
