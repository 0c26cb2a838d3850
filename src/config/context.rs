//! Everything a command needs, resolved once: folders, settings, the model
//! table, the client configuration and, with `--demo`, the fake server.
//! Precedence is flag, then environment variable, then config file.

use std::path::PathBuf;
use std::time::Duration;

use super::GlobalArgs;
use super::failure::Failure;
use super::loaders;
use crate::api::config::{DEFAULT_BASE_URL, parse_base_url};
use crate::api::{ApiKey, Catalog, ClientConfig, ImagesClient};
use crate::fake::{FakeOptions, FakeServer};
use crate::store::Dirs;
use crate::store::secrets::{KeySource, find_key};
use crate::store::settings::Settings;
use crate::util::env::{given as nonempty, var as env};

pub struct Context {
    pub dirs: Dirs,
    pub settings: Settings,
    pub catalog: Catalog,
    pub config: ClientConfig,
    pub key_source: Option<KeySource>,
    pub gallery_dir: PathBuf,
    pub warnings: Vec<String>,
    /// Azure OpenAI (`--azure` or `azure = true`), not OpenAI.
    pub azure: bool,
    /// Kept alive for the command's duration in demo mode.
    pub demo: Option<FakeServer>,
}

impl Context {
    /// `demo_pace` is given for the interactive app's demo: it slows the
    /// demo server down to a real server's rhythm, and keeps the demo's
    /// pictures, journal, totals and state apart from the real ones. The
    /// command line's `--demo` prints every path it writes and uses the
    /// folders it is given.
    pub async fn resolve(
        args: &GlobalArgs,
        demo_pace: Option<Duration>,
    ) -> Result<Context, Failure> {
        let mut dirs = Dirs::from_env()?;
        let mut warnings = Vec::new();
        let (settings, more) = loaders::settings(&dirs);
        warnings.extend(more);
        let (catalog, more) = loaders::catalog(&dirs)?;
        warnings.extend(more);
        let demo = if args.demo {
            Some(start_demo(&catalog, demo_pace, dirs.data.join("demo-server")).await?)
        } else {
            None
        };
        let azure = (args.azure || settings.azure == Some(true)) && demo.is_none();
        let base_text = match &demo {
            Some(server) => server.base_url(),
            None if azure => super::azure::endpoint(args, &settings)?,
            None => nonempty(&args.base_url)
                .or_else(|| env("OPENAI_BASE_URL"))
                .or(settings.base_url.clone())
                .unwrap_or_else(|| DEFAULT_BASE_URL.into()),
        };
        let mut config = ClientConfig::new(parse_base_url(&base_text).map_err(Failure::invalid)?);
        if azure {
            super::azure::configure(&mut config, args, &settings)?;
        }
        config.organization = nonempty(&args.organization)
            .or_else(|| env("OPENAI_ORG_ID"))
            .or(settings.organization.clone());
        config.project = nonempty(&args.project)
            .or_else(|| env("OPENAI_PROJECT_ID"))
            .or(settings.project.clone());
        if let Some(secs) = args.timeout.or(settings.timeout_secs) {
            config.request_timeout = Duration::from_secs(secs.max(1));
        }
        config.max_retries = args
            .retries
            .or(settings.max_retries)
            .unwrap_or(config.max_retries);
        let key_source = if demo.is_some() {
            config.api_key = ApiKey::new("demo-key-for-the-fake-server");
            None
        } else if azure {
            // Azure's own variables only: a key saved for OpenAI is never
            // sent to another service.
            super::azure::key().map(|(key, source)| {
                if let Some(deployments) = config.azure.as_mut() {
                    deployments.key_header = source == KeySource::AzureEnv(super::azure::API_KEY);
                }
                config.api_key = Some(key);
                source
            })
        } else {
            let lookup = find_key(&dirs);
            warnings.extend(lookup.warnings);
            lookup.found.map(|(key, source)| {
                config.api_key = Some(key);
                source
            })
        };
        if config.api_key.is_some()
            && let Some(warning) = config.clear_text_warning()
        {
            warnings.push(warning);
        }
        let demo_apart = demo.is_some() && demo_pace.is_some();
        if demo_apart {
            // The demo's pictures, journal, totals and remembered state are
            // its own, beside the real ones and never mixed with them; the
            // configuration (keys.toml, models.toml) is the user's.
            dirs.data = dirs.data.join("demo");
            dirs.cache = dirs.cache.join("demo");
        }
        // The demo's own gallery wins over the configured one.
        let configured = settings.gallery_dir.as_ref().filter(|_| !demo_apart);
        let gallery_dir = args
            .out
            .clone()
            .or(configured.map(PathBuf::from))
            .unwrap_or_else(|| dirs.gallery());
        Ok(Context {
            dirs,
            settings,
            catalog,
            config,
            key_source,
            gallery_dir,
            warnings,
            azure,
            demo,
        })
    }

    /// No key to send: what to set, for OpenAI or, with `--azure`, for Azure.
    pub fn no_key(&self) -> Failure {
        let mut failure = Failure::from(crate::api::ApiError::NoKey);
        if self.azure {
            failure.message = format!(
                "No Azure credential: set {} (an Azure key) or {} (an Entra ID token). \
                 A key saved for OpenAI is not sent to Azure.",
                super::azure::API_KEY,
                super::azure::AD_TOKEN
            );
        }
        failure
    }

    pub fn client(&self) -> Result<ImagesClient, Failure> {
        Ok(ImagesClient::new(self.config.clone())?)
    }

    /// The client, or the message that a key is needed.
    pub fn keyed_client(&self) -> Result<ImagesClient, Failure> {
        if self.config.api_key.is_none() {
            return Err(self.no_key());
        }
        self.client()
    }

    /// The server as recorded in sidecars: scheme, host and path only.
    pub fn server_label(&self) -> String {
        self.config.server_label()
    }
}

/// Seconds a demo batch takes: long enough to see it move through its
/// states, short enough to fetch in the same sitting.
const DEMO_BATCH_SECONDS: u64 = 20;

async fn start_demo(
    catalog: &Catalog,
    pace: Option<Duration>,
    batch_dir: std::path::PathBuf,
) -> Result<FakeServer, Failure> {
    let options = FakeOptions {
        accepted_key: None,
        catalog: catalog.clone(),
        pace,
        // A long demo session must not keep every image it ever served.
        keep_history: false,
        denied_formats: crate::fake::state::denied_formats_from_env(),
        azure: None,
        batch_seconds: DEMO_BATCH_SECONDS,
        // Kept, so a batch submitted in one `--demo` run is fetched in the next.
        batch_dir: Some(batch_dir),
        batch_plan: crate::fake::state::demo_batch_plan_from_env(),
    };
    FakeServer::start(options)
        .await
        .map_err(|e| Failure::local(format!("could not start the demo server: {e}")))
}
