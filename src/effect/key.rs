//! Checking, applying and forgetting the API key, off the UI thread.

use tokio::sync::mpsc::UnboundedSender;

use super::KeyCandidate;
use super::connection::{Connection, SharedConnection, current, replace};
use crate::action::{Action, KeyReport, KeyResult};
use crate::api::config::parse_base_url;
use crate::api::{Catalog, ClientConfig, ImagesClient};
use crate::store::Dirs;
use crate::store::secrets::{KeySource, clear_key, save_key};
use crate::store::settings::Settings;

/// The configuration in use with the candidate's key and settings.
fn config_for(in_use: &ClientConfig, candidate: &KeyCandidate) -> Result<ClientConfig, String> {
    let mut config = in_use.clone();
    config.base_url = parse_base_url(&candidate.base_url)?;
    config.organization = candidate.organization.clone();
    config.project = candidate.project.clone();
    if let Some(key) = &candidate.key {
        config.api_key = Some(key.clone());
    }
    if config.api_key.is_none() {
        return Err("No key to check: type or paste one.".into());
    }
    Ok(config)
}

/// Image models among the server's models: the table's, and names that say so.
fn image_models(catalog: &Catalog, ids: Vec<String>) -> Vec<String> {
    ids.into_iter()
        .filter(|id| catalog.get(id).is_some() || id.contains("image") || id.starts_with("dall-e"))
        .collect()
}

pub fn check(
    in_use: &Connection,
    catalog: &Catalog,
    candidate: KeyCandidate,
    tx: UnboundedSender<Action>,
) {
    let config = config_for(&in_use.config, &candidate);
    let catalog = catalog.clone();
    tokio::spawn(async move {
        let result = match config {
            Ok(config) => list(config, &catalog).await,
            Err(why) => Err(why),
        };
        let _ = tx.send(Action::Key(KeyResult::Checked(result)));
    });
}

async fn list(config: ClientConfig, catalog: &Catalog) -> Result<KeyReport, String> {
    let client = ImagesClient::new(config).map_err(|e| e.user_message())?;
    let models = client.list_models().await.map_err(|e| e.user_message())?;
    let ids = models.into_iter().map(|m| m.id).collect();
    Ok(KeyReport {
        image_models: image_models(catalog, ids),
    })
}

pub fn list_models(in_use: &Connection, catalog: &Catalog, tx: UnboundedSender<Action>) {
    let config = in_use.config.clone();
    if config.api_key.is_none() {
        return;
    }
    let catalog = catalog.clone();
    tokio::spawn(async move {
        // A failed listing only means fewer names in the picker.
        if let Ok(report) = list(config, &catalog).await {
            let _ = tx.send(Action::Key(KeyResult::ModelsListed(report.image_models)));
        }
    });
}

/// Uses the candidate from now on; with `persist`, saves the key to the
/// 0600 credentials file and the server settings to config.toml. The
/// files are written and the client built off the loop thread.
pub fn apply(
    shared: &SharedConnection,
    dirs: &Dirs,
    candidate: KeyCandidate,
    persist: bool,
    tx: UnboundedSender<Action>,
) {
    let shared = shared.clone();
    let dirs = dirs.clone();
    tokio::task::spawn_blocking(move || {
        let action = switch(&shared, &dirs, &candidate, persist).unwrap_or_else(Action::Failed);
        send(&tx, action);
    });
}

fn switch(
    shared: &SharedConnection,
    dirs: &Dirs,
    candidate: &KeyCandidate,
    persist: bool,
) -> Result<Action, String> {
    let config = config_for(&current(shared).config, candidate)?;
    let mut notes = Vec::new();
    let mut source = KeySource::Session;
    if persist {
        match persist_all(dirs, candidate)? {
            Some(path) => {
                notes.push(format!("Key saved to {} (mode 0600).", path.display()));
                source = KeySource::File(path);
            }
            None => notes.push("Server settings saved.".into()),
        }
    } else {
        notes.push("Key in use for this session only.".into());
    }
    if let Some(warning) = config.clear_text_warning() {
        notes.push(format!("Warning: {warning}."));
    }
    if candidate.key.is_none() {
        notes.push("The key in use did not change.".into());
    }
    let masked = config
        .api_key
        .as_ref()
        .map(|k| k.masked())
        .unwrap_or_default();
    let server = config.server_label();
    let is_openai = config.is_openai();
    replace(shared, Connection::new(config)?);
    Ok(Action::Key(KeyResult::Applied {
        masked,
        source: source.to_string(),
        note: notes.join(" "),
        server,
        is_openai,
    }))
}

/// Writes the key file (when a new key was given) and the server settings.
fn persist_all(
    dirs: &Dirs,
    candidate: &KeyCandidate,
) -> Result<Option<std::path::PathBuf>, String> {
    // A config file that does not parse is the user's to fix; it is never
    // overwritten, and nothing is saved half.
    let mut settings = Settings::load(&dirs.settings())
        .map_err(|e| format!("{e}; fix it by hand, artty does not overwrite it"))?;
    let path = match &candidate.key {
        Some(key) => Some(save_key(dirs, key).map_err(|e| e.to_string())?),
        None => None,
    };
    let base = candidate.base_url.trim();
    settings.base_url = (base != crate::api::config::DEFAULT_BASE_URL && !base.is_empty())
        .then(|| base.to_string());
    settings.organization = candidate.organization.clone();
    settings.project = candidate.project.clone();
    settings.save(&dirs.settings()).map_err(|e| e.to_string())?;
    Ok(path)
}

pub fn forget(dirs: Dirs, tx: UnboundedSender<Action>) {
    let note = match clear_key(&dirs) {
        Ok(true) => format!(
            "Deleted {}. The key in use stays until artty quits.",
            dirs.credentials().display()
        ),
        Ok(false) => "There was no saved key file.".into(),
        Err(e) => return send(&tx, Action::Failed(e.to_string())),
    };
    send(&tx, Action::Key(KeyResult::Forgotten { note }));
}

fn send(tx: &UnboundedSender<Action>, action: Action) {
    let _ = tx.send(action);
}
