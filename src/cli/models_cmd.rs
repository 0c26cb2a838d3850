//! `artty models`: the model table, and what the account's server offers.

use serde_json::json;

use super::output::Output;
use crate::api::response::RemoteModel;
use crate::api::{Lifecycle, ModelSpec};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::util::inert::inert;

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
    if !out.json {
        super::stdout::line(&header());
    }
    for spec in ctx.catalog.models() {
        if super::stdout::closed() {
            return Ok(());
        }
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
            super::output::print_json(&line.json())
        } else {
            // Names can come from the user's models.toml.
            super::stdout::line(&crate::util::inert::inert(&line.text(), 500))
        }
    }
    for (id, alias) in snapshots(ctx, remote.as_deref()) {
        if out.json {
            super::output::print_json(
                &json!({ "name": id, "snapshot_of": alias, "account": "available" }),
            );
        } else {
            super::stdout::line(&inert(
                &format!("  {id:<23} snapshot of {alias}: same parameters; available"),
                500,
            ));
        }
    }
    Ok(())
}

/// Dated snapshots the server lists that the table knows by their alias.
fn snapshots<'a>(ctx: &'a Context, remote: Option<&'a [RemoteModel]>) -> Vec<(&'a str, &'a str)> {
    remote
        .unwrap_or_default()
        .iter()
        .filter(|m| !ctx.catalog.models().iter().any(|spec| spec.name == m.id))
        .filter_map(|m| Some((m.id.as_str(), ctx.catalog.get(&m.id)?.name.as_str())))
        .collect()
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
            "{mark} {:<23} {:<8} {:<29} {:<27} {}{account}",
            self.spec.name,
            self.spec.tier.as_deref().unwrap_or("-"),
            endpoints.join(","),
            price_text(self.spec),
            self.status()
        )
    }

    /// The lifecycle as a word, for scripts.
    fn status_word(&self) -> &'static str {
        match self.lifecycle {
            Lifecycle::Active => "active",
            Lifecycle::Deprecated { .. } => "deprecated",
            Lifecycle::ShutDown { .. } => "shut_down",
        }
    }

    /// Whether the server offers the model, as a word: `available`,
    /// `not_offered`, or none when it was not asked.
    fn account_word(&self) -> Option<&'static str> {
        self.on_server.map(|found| match found {
            Some(_) => "available",
            None => "not_offered",
        })
    }

    fn json(&self) -> serde_json::Value {
        let price = self.spec.price.as_ref();
        let server_shutdown = self
            .on_server
            .flatten()
            .and_then(|remote| remote.shutdown_date.clone());
        json!({
            "name": self.spec.name, "default": self.is_default, "status": self.status_word(),
            "message": self.status(), "server_shutdown": server_shutdown,
            "tier": self.spec.tier, "snapshots": self.spec.snapshots,
            "endpoints": self.spec.endpoints, "shutdown": self.spec.shutdown.map(|d| d.to_string()),
            "replacement": self.spec.replacement, "account": self.account_word(),
            "qualities": self.spec.qualities, "output_formats": self.spec.output_formats,
            "complexity": self.spec.complexity, "markup": self.spec.markup,
            "gif": self.spec.gif, "svg": self.spec.svg, "unverified": self.spec.unverified,
            "price_per_million_tokens": price.filter(|p| p.per_image.is_empty()).map(|p| json!({
                "text_input": p.text_input, "text_input_cached": p.text_input_cached,
                "image_input": p.image_input, "image_input_cached": p.image_input_cached,
                "image_output": p.image_output, "batch_factor": p.batch_factor,
            })),
            "price_per_image": price.filter(|p| !p.per_image.is_empty()).map(|p| &p.per_image),
        })
    }
}

fn header() -> String {
    format!(
        "  {:<23} {:<8} {:<29} {:<27} {}",
        "MODEL", "TIER", "ENDPOINTS", "PRICE (USD)", "STATUS"
    )
}

/// Token prices per million as `text in/image in/image out`, or the range
/// of per-image prices.
fn price_text(spec: &ModelSpec) -> String {
    let Some(price) = &spec.price else {
        return "unknown".into();
    };
    if !price.per_image.is_empty() {
        let low = price
            .per_image
            .values()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let high = price.per_image.values().copied().fold(0.0, f64::max);
        return format!("{low:.3}-{high:.3}/image");
    }
    let rate = |v: Option<f64>| v.map_or("?".to_string(), |v| format!("{v:.2}"));
    format!(
        "{}/{}/{} per 1M tok",
        rate(price.text_input),
        rate(price.image_input),
        rate(price.image_output)
    )
}
