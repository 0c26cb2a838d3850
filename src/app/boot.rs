//! Building the first model from what start-up found: settings, the key,
//! keys.toml, the remembered prompts and parameters.

use std::time::Instant;

use crate::config::context::Context;
use crate::keymap::Keymap;
use crate::model::key_setup::ActiveKey;
use crate::model::params::Params;
use crate::model::prompt::Prompt;
use crate::model::{Model, Overlay, Session};
use crate::store::app_state::AppState;

/// Folders and flags the model is built from; also used by tests and benches.
pub struct Boot {
    pub demo: bool,
    pub server: String,
    pub is_openai: bool,
    pub color: bool,
    pub has_display: bool,
    pub run_tag: String,
}

impl Boot {
    pub fn from_context(ctx: &Context) -> Boot {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let has_display = cfg!(target_os = "macos")
            || ["DISPLAY", "WAYLAND_DISPLAY"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
        Boot {
            demo: ctx.demo.is_some(),
            server: ctx.server_label(),
            is_openai: ctx.config.is_openai(),
            color,
            has_display,
            run_tag: format!(
                "{}-{}",
                jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S"),
                std::process::id()
            ),
        }
    }
}

pub fn build_model(ctx: &Context, boot: Boot, keymap: Keymap, state: AppState) -> Model {
    let session = Session {
        demo: boot.demo,
        server: boot.server,
        is_openai: boot.is_openai,
        today: jiff::Zoned::now().date(),
        run_tag: boot.run_tag,
        has_display: boot.has_display,
        color: boot.color,
        catalog: std::sync::Arc::new(ctx.catalog.clone()),
        time_zone: jiff::tz::TimeZone::system(),
        // Replaced once the terminal has been asked, after it is set up.
        images: crate::images::graphics::TerminalImages::blocks(),
        home: std::env::var_os("HOME").map(std::path::PathBuf::from),
        working_dir: std::env::current_dir().unwrap_or_else(|_| "/".into()),
    };
    let model_name = ctx
        .settings
        .model
        .clone()
        .or(state.last_model)
        .or_else(|| ctx.catalog.default_model().map(|m| m.name.clone()))
        .unwrap_or_default();
    let mut prompt = Prompt::new(state.history);
    // The prompt left at the last quit.
    prompt.set_content(&state.draft);
    let params = Params::new(model_name, state.params);
    let mut model = Model::new(session, keymap, prompt, params);
    model.now = Instant::now();
    model.key_setup = crate::model::key_setup::KeySetup::new(
        ctx.config.base_url.as_str(),
        ctx.config.organization.as_deref().unwrap_or(""),
        ctx.config.project.as_deref().unwrap_or(""),
    );
    model.key_setup.active = ctx.config.api_key.as_ref().map(|key| ActiveKey {
        masked: key.masked(),
        source: match &ctx.key_source {
            Some(source) => source.to_string(),
            None => "the demo server (any key works)".into(),
        },
    });
    if !model.has_key() {
        model.overlay = Some(Overlay::KeySetup);
    }
    // The status line gets every start-up warning, from run_app.
    if let Some(warning) = ctx.warnings.first() {
        model.key_setup.note = Some(warning.clone());
    }
    model
}
