//! Azure OpenAI, resolved the way the official SDK's `AzureOpenAI` client
//! resolves it: the endpoint from AZURE_OPENAI_ENDPOINT, the credential
//! from AZURE_OPENAI_AD_TOKEN (a bearer token, first) or
//! AZURE_OPENAI_API_KEY (the `api-key` header), the `api-version` from
//! OPENAI_API_VERSION. With a version, images go to
//! `{endpoint}/openai/deployments/{deployment}/images/…?api-version=…`;
//! without one, to Azure's OpenAI-shaped `{endpoint}/openai/v1/` surface.

use super::GlobalArgs;
use super::failure::Failure;
use crate::api::config::AzureDeployments;
use crate::api::{ApiKey, ClientConfig};
use crate::store::secrets::KeySource;
use crate::store::settings::Settings;
use crate::util::env::{given, var as env};

pub const ENDPOINT: &str = "AZURE_OPENAI_ENDPOINT";
pub const API_KEY: &str = "AZURE_OPENAI_API_KEY";
pub const AD_TOKEN: &str = "AZURE_OPENAI_AD_TOKEN";

/// The API's base URL: the endpoint with `/openai` (deployments surface)
/// or `/openai/v1` (no api-version) after it.
pub fn endpoint(args: &GlobalArgs, settings: &Settings) -> Result<String, Failure> {
    let endpoint = given(&args.base_url)
        .or_else(|| env(ENDPOINT))
        .or(settings.azure_endpoint.clone())
        .ok_or_else(|| {
            Failure::invalid(format!(
                "--azure needs the resource's endpoint: set {ENDPOINT} (https://NAME.openai.azure.com), \
                 azure_endpoint in config.toml, or --base-url"
            ))
        })?;
    let endpoint = endpoint.trim().trim_end_matches('/');
    // An endpoint given with its path already (…/openai or …/openai/v1) is taken as it is.
    if endpoint.ends_with("/openai") || endpoint.ends_with("/openai/v1") {
        return Ok(endpoint.to_string());
    }
    Ok(match api_version(args, settings) {
        Some(_) => format!("{endpoint}/openai"),
        None => format!("{endpoint}/openai/v1"),
    })
}

fn api_version(args: &GlobalArgs, settings: &Settings) -> Option<String> {
    given(&args.api_version).or(settings.api_version.clone())
}

/// The deployments surface, when an api-version is set and the endpoint is
/// not the `/openai/v1` one.
pub fn configure(
    config: &mut ClientConfig,
    args: &GlobalArgs,
    settings: &Settings,
) -> Result<(), Failure> {
    let Some(api_version) = api_version(args, settings) else {
        return Ok(());
    };
    if config
        .base_url
        .path()
        .trim_end_matches('/')
        .ends_with("/openai/v1")
    {
        return Ok(());
    }
    if api_version
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Failure::invalid(
            "the api-version holds spaces or control characters",
        ));
    }
    config.azure = Some(AzureDeployments {
        api_version,
        key_header: false,
        deployment: given(&args.deployment),
        deployments: settings.azure_deployments.clone().unwrap_or_default(),
    });
    Ok(())
}

/// The credential: an Entra ID token first, as the SDK prefers it, else an
/// Azure key.
pub fn key() -> Option<(ApiKey, KeySource)> {
    [AD_TOKEN, API_KEY].into_iter().find_map(|name| {
        let key = ApiKey::new(&env(name)?)?;
        Some((key, KeySource::AzureEnv(name)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> GlobalArgs {
        GlobalArgs {
            azure: true,
            base_url: Some("https://res.openai.azure.com/".into()),
            ..GlobalArgs::default()
        }
    }

    #[test]
    fn a_version_means_deployments_and_none_the_v1_surface() {
        let settings = Settings::default();
        assert_eq!(
            endpoint(&args(), &settings).unwrap(),
            "https://res.openai.azure.com/openai/v1"
        );
        let versioned = GlobalArgs {
            api_version: Some("2025-04-01-preview".into()),
            ..args()
        };
        let base = endpoint(&versioned, &settings).unwrap();
        assert_eq!(base, "https://res.openai.azure.com/openai");
        let mut config = ClientConfig::new(base.parse().unwrap());
        configure(&mut config, &versioned, &settings).unwrap();
        assert_eq!(
            config
                .request_url("images/generations", "gpt-image-2")
                .as_str(),
            "https://res.openai.azure.com/openai/deployments/gpt-image-2/images/generations?api-version=2025-04-01-preview"
        );
        assert_eq!(
            config.request_url("models", "").as_str(),
            "https://res.openai.azure.com/openai/models?api-version=2025-04-01-preview"
        );
    }

    #[test]
    fn a_configured_deployment_is_used_and_escaped() {
        let mut deployments = std::collections::BTreeMap::new();
        deployments.insert("gpt-image-2".to_string(), "images/../prod".to_string());
        let settings = Settings {
            api_version: Some("2025-04-01-preview".into()),
            azure_deployments: Some(deployments),
            ..Settings::default()
        };
        let base = endpoint(&args(), &settings).unwrap();
        let mut config = ClientConfig::new(base.parse().unwrap());
        configure(&mut config, &args(), &settings).unwrap();
        let url = config.request_url("images/edits", "gpt-image-2");
        assert_eq!(
            url.path(),
            "/openai/deployments/images%2F..%2Fprod/images/edits"
        );
    }
}
