//! `artty models`: the model table, and what the account's server offers.

use serde_json::json;

use super::context::Context;
use super::exit::Failure;
use super::output::Output;
use crate::api::response::RemoteModel;
use crate::api::{Lifecycle, ModelSpec};
use crate::inert::inert;

pub async fn run(ctx: &Context, out: &Output, offline: bool) -> Result<(), Failure> {
    let remote = if offline || ctx.config.api_key.is_none() {
        None
    } else {
        match ctx.client()?.list_models().await {
            Ok(models) => Some(models),
            Err(err) => {
                out.warn(&format!("could not list the server's models: {err}"));
                None
            }
        }
    };
    let today = jiff::Zoned::now().date();
    let default = ctx.catalog.default_model().map(|m| m.name.as_str());
    for spec in ctx.catalog.models() {
        let on_server = remote
            .as_ref()
            .map(|list| list.iter().find(|m| m.id == spec.name));
        let line = Line {
            spec,
            lifecycle: spec.lifecycle(today),
            on_server,
            is_default: default == Some(spec.name.as_str()),
        };
        if out.json {
            println!("{}", line.json())
        } else {
            // Names can come from the user's models.toml.
            println!("{}", crate::inert::inert(&line.text(), 500))
        }
    }
    Ok(())
}

struct Line<'a> {
    spec: &'a ModelSpec,
    lifecycle: Lifecycle,
    /// `None`: not asked; `Some(None)`: not on this account.
    on_server: Option<Option<&'a RemoteModel>>,
    is_default: bool,
}

impl Line<'_> {
    fn status(&self) -> String {
        match &self.lifecycle {
            Lifecycle::Active => "active".into(),
            Lifecycle::Deprecated { shutdown } => format!("deprecated, shuts down {shutdown}"),
            Lifecycle::ShutDown { since } => format!("shut down on OpenAI since {since}"),
        }
    }

    fn account(&self) -> Option<String> {
        self.on_server.map(|found| match found {
            Some(remote) => match &remote.shutdown_date {
                Some(date) => format!("available, server says shutdown {}", inert(date, 40)),
                None => "available".into(),
            },
            None => "not offered by this server".into(),
        })
    }

    fn text(&self) -> String {
        let endpoints: Vec<&str> = self.spec.endpoints.iter().map(|e| e.name()).collect();
        let mark = if self.is_default { "*" } else { " " };
        let account = self.account().map(|a| format!("; {a}")).unwrap_or_default();
        format!(
            "{mark} {:<22} {:<30} {}{account}",
            self.spec.name,
            endpoints.join(","),
            self.status()
        )
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "name": self.spec.name, "default": self.is_default, "status": self.status(),
            "endpoints": self.spec.endpoints, "shutdown": self.spec.shutdown.map(|d| d.to_string()),
            "replacement": self.spec.replacement, "account": self.account(),
        })
    }
}
