//! `config.toml`: the settings that are not secret.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;

/// Settings from the config file. Every field is optional; flags and
/// environment variables win over them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub base_url: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub timeout_secs: Option<u64>,
    pub max_retries: Option<u32>,
    pub gallery_dir: Option<String>,
    pub model: Option<String>,
    /// How many requests the app runs at once (default 2).
    pub jobs: Option<usize>,
    /// How the app draws images: auto, kitty, sixel, iterm, blocks, none.
    pub graphics: Option<crate::images::graphics::GraphicsChoice>,
    /// `false`: animated GIFs show their first frame only.
    pub animate: Option<bool>,
    /// Azure OpenAI instead of OpenAI (as `--azure`; docs/azure.md).
    pub azure: Option<bool>,
    /// `https://NAME.openai.azure.com` (as AZURE_OPENAI_ENDPOINT).
    pub azure_endpoint: Option<String>,
    /// The `api-version` query parameter (as OPENAI_API_VERSION); without
    /// one, Azure's `/openai/v1` surface is used.
    pub api_version: Option<String>,
    /// The deployment of each model, where it is not named as the model.
    pub azure_deployments: Option<std::collections::BTreeMap<String, String>>,
}

impl Settings {
    /// Reads the file; a missing file is empty settings, a broken one an error naming the line.
    pub fn load(path: &Path) -> Result<Settings, StoreError> {
        match super::local_file::read_own_text(path) {
            Ok(text) => Settings::parse(&text).map_err(|detail| StoreError::Invalid {
                path: path.to_path_buf(),
                detail,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(StoreError::io("read", path)(e)),
        }
    }

    /// The file's text as settings, or what is wrong and on which line.
    /// Numbers are held to the same ranges as the flags that set them.
    pub fn parse(text: &str) -> Result<Settings, String> {
        let settings: Settings =
            toml::from_str(text).map_err(|e| crate::util::toml_text::error_text(text, &e))?;
        settings.check_ranges(text)?;
        Ok(settings)
    }

    fn check_ranges(&self, text: &str) -> Result<(), String> {
        let out_of = |key: &str, value: &dyn std::fmt::Display, range: &str| {
            format!(
                "line {}: {key} = {value} is out of range ({range})",
                line_of(text, key)
            )
        };
        if let Some(jobs) = self.jobs.filter(|j| !(1..=16).contains(j)) {
            return Err(out_of("jobs", &jobs, "1 to 16, as for --jobs"));
        }
        if let Some(secs) = self.timeout_secs.filter(|s| !(1..=86_400).contains(s)) {
            return Err(out_of("timeout_secs", &secs, "1 to 86400 seconds"));
        }
        if let Some(retries) = self.max_retries.filter(|r| *r > 10) {
            return Err(out_of("max_retries", &retries, "0 to 10"));
        }
        if self
            .gallery_dir
            .as_deref()
            .is_some_and(|d| d.trim().is_empty())
        {
            return Err(format!(
                "line {}: gallery_dir is empty: name a folder, or remove the line for the default",
                line_of(text, "gallery_dir")
            ));
        }
        Ok(())
    }

    /// Writes the file atomically.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let text = toml::to_string(self).map_err(|e| StoreError::Invalid {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        super::atomic::replace(path, text.as_bytes())
    }
}

/// The 1-based line that sets `key` (1 when it cannot be found).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_out_of_the_flags_ranges_and_an_empty_folder_are_named_by_line() {
        for (text, says) in [
            (
                "model = \"x\"\njobs = 9223372036854775807\n",
                "line 2: jobs = 9223372036854775807 is out of range",
            ),
            ("jobs = 0\n", "line 1: jobs = 0"),
            (
                "timeout_secs = 18446744073709551615\n",
                "line 1: timeout_secs",
            ),
            ("max_retries = 4000000000\n", "line 1: max_retries"),
            ("\ngallery_dir = \"\"\n", "line 2: gallery_dir is empty"),
        ] {
            let err = Settings::parse(text).unwrap_err();
            assert!(err.starts_with(says), "{text:?}: {err}");
        }
        assert_eq!(Settings::parse("jobs = 16\n").unwrap().jobs, Some(16));
    }
}
