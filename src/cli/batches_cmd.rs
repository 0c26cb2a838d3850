//! `artty batches list|status|cancel|fetch|retry`: the batches submitted
//! from here, as the journal keeps them and the API reports them.

use serde_json::json;

use super::args::BatchesAction;
use super::output::Output;
use crate::batch_api::Bench;
use crate::batch_api::send::{
    cancel as cancel_batch, needs_asking, refresh, refresh_running, retry as retry_lines,
};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::batch_journal::Submission;

pub async fn run(ctx: &Context, out: &Output, action: BatchesAction) -> Result<(), Failure> {
    match action {
        BatchesAction::List { .. } => list(ctx, out).await,
        BatchesAction::Status { id, .. } => status(ctx, out, &id).await,
        BatchesAction::Cancel { id, .. } => cancel(ctx, out, &id).await,
        BatchesAction::Fetch { id, .. } => super::batch_fetch::fetch(ctx, out, id.as_deref()).await,
        BatchesAction::Retry { id, .. } => retry(ctx, out, &id).await,
    }
}

async fn list(ctx: &Context, out: &Output) -> Result<(), Failure> {
    let bench = Bench::of(ctx);
    let journal = bench.journal()?;
    let mut all: Vec<Submission> = bench
        .own(&journal)
        .into_iter()
        .filter(|s| !s.abandoned)
        .collect();
    if all.iter().any(needs_asking) {
        let client = ctx.keyed_client()?;
        for (name, failure) in refresh_running(&client, &journal, &mut all).await? {
            out.warn(&format!("{name}: {}", failure.message));
        }
    }
    if all.is_empty() && !out.json {
        eprintln!(
            "artty: no batches submitted from here (`artty batch FILE --batch-api` submits one)"
        );
    }
    for submission in &all {
        print_row(out, submission);
    }
    Ok(())
}

fn status_name(s: &Submission) -> String {
    match (&s.status, &s.fetched) {
        (_, Some(_)) => "fetched".into(),
        (Some(status), None) => status.name().to_string(),
        (None, None) => "not created".into(),
    }
}

fn age(s: &Submission) -> String {
    let seconds = (jiff::Timestamp::now() - s.created).get_seconds().max(0);
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m", seconds / 60),
        3600..86400 => format!("{}h", seconds / 3600),
        _ => format!("{}d", seconds / 86400),
    }
}

fn print_row(out: &Output, s: &Submission) {
    if out.json {
        super::output::print_json(&row_json(s));
        return;
    }
    let estimate = s
        .estimate_usd
        .map_or("-".to_string(), |usd| format!("${usd:.2}"));
    super::stdout::line(&format!(
        "{}\t{}\t{}/{} done\t{} failed\t{estimate}\t{}\t{}",
        s.name(),
        status_name(s),
        s.counts.completed,
        s.counts.total.max(s.lines.len() as u64),
        s.counts.failed,
        age(s),
        s.source
    ));
}

fn row_json(s: &Submission) -> serde_json::Value {
    json!({
        "batch_id": s.api_batch_id, "submission": s.id, "status": status_name(s),
        "endpoint": s.endpoint.path(), "requests": s.lines.len(),
        "completed": s.counts.completed, "failed": s.counts.failed,
        "estimate_usd": s.estimate_usd, "created": s.created.to_string(), "source": s.source,
        "fetched": s.fetched.as_ref().map(|f| json!({
            "saved": f.saved,
            "failed": f.failed.iter().map(|l| json!({ "line": l.number, "custom_id": l.custom_id, "reason": l.reason })).collect::<Vec<_>>(),
        })),
        "retried_as": s.retried_as,
    })
}

async fn status(ctx: &Context, out: &Output, name: &str) -> Result<(), Failure> {
    let bench = Bench::of(ctx);
    let journal = bench.journal()?;
    let mut submission = bench.find(&journal, name)?;
    if needs_asking(&submission) && submission.api_batch_id.is_some() {
        let client = ctx.keyed_client()?;
        refresh(&client, &journal, &mut submission).await?;
    }
    print_row(out, &submission);
    if let (Some(fetched), false) = (&submission.fetched, out.json) {
        for line in &fetched.failed {
            eprintln!(
                "artty: {} line {}: {}",
                submission.source, line.number, line.reason
            );
        }
        if !fetched.failed.is_empty() {
            eprintln!(
                "artty: `artty batches retry {}` sends these lines again",
                submission.name()
            );
        }
    }
    Ok(())
}

async fn cancel(ctx: &Context, out: &Output, name: &str) -> Result<(), Failure> {
    let bench = Bench::of(ctx);
    let journal = bench.journal()?;
    let mut submission = bench.find(&journal, name)?;
    let client = ctx.keyed_client()?;
    cancel_batch(&client, &journal, &mut submission).await?;
    let id = submission.api_batch_id.clone().unwrap_or_default();
    print_row(out, &submission);
    if !out.json {
        eprintln!(
            "artty: cancelling; what it made before it stopped is saved by `artty batches fetch {id}`"
        );
    }
    Ok(())
}

/// The lines of a finished batch that made no image, sent as a new batch.
async fn retry(ctx: &Context, out: &Output, name: &str) -> Result<(), Failure> {
    let bench = Bench::of(ctx);
    let journal = bench.journal()?;
    let mut original = bench.find(&journal, name)?;
    if original.fetched.is_none() {
        return Err(Failure::invalid(format!(
            "{name} has not been fetched yet: `artty batches fetch {name}` first"
        )));
    }
    let _lock = crate::store::batch_lock::BatchLock::take(&ctx.dirs.locks(), &original.batch)
        .map_err(Failure::local)?;
    let client = ctx.keyed_client()?;
    let Some(again) = retry_lines(&bench, &client, &journal, &mut original).await? else {
        eprintln!("artty: every line of {name} has its image, or waits in another batch");
        return Ok(());
    };
    print_row(out, &again);
    Ok(())
}
