//! `artty batch FILE --batch-api`: the lines checked and priced
//! (`batch_api::submit`), every line that cannot go named before anything
//! is uploaded, both prices printed, then each batch created and its id
//! printed.

use std::path::PathBuf;

use serde_json::json;

use super::args::ParamArgs;
use super::batch_cmd::{LoadedBatch, load};
use super::output::Output;
use crate::api::cost::Estimate;
use crate::batch_api::Bench;
use crate::batch_api::submit::{Plan, plan, send_plan};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::batch_journal::Submission;

pub async fn submit(
    ctx: &Context,
    out: &Output,
    file: PathBuf,
    args: &ParamArgs,
) -> Result<(), Failure> {
    let LoadedBatch { shown, batch, base } = load(ctx, out, &file, args)?;
    let _lock = crate::store::batch_lock::BatchLock::take(&ctx.dirs.locks(), &batch.id)
        .map_err(Failure::local)?;
    let bench = Bench::of(ctx);
    let journal = bench.journal()?;
    let plan = plan(&bench, &journal, &batch, &base).await?;
    // `load` printed the lines that could not be read.
    let unreadable = batch.bad.len();
    for (number, why) in plan.invalid.iter().skip(unreadable) {
        out.line_invalid(&shown, *number, &format!("not sent: {why}"));
    }
    if plan.skipped > 0 {
        eprintln!(
            "artty: {} line(s) already done or waiting in a batch, skipped (`artty batches list`)",
            plan.skipped
        );
    }
    if !plan.invalid.is_empty() {
        return Err(Failure::invalid(format!(
            "{} line(s) cannot be sent to the Batch API: fix them and run again (nothing was uploaded)",
            plan.invalid.len()
        )));
    }
    if plan.planned.is_empty() {
        eprintln!("artty: nothing left to send in {shown}");
        return Ok(());
    }
    if ctx.config.api_key.is_none() {
        return Err(ctx.no_key());
    }
    print_prices(out, &plan);
    let client = ctx.client()?;
    send_plan(
        &bench,
        &client,
        &journal,
        &shown,
        &plan,
        &mut |submission| report(out, submission),
    )
    .await?;
    if !out.json {
        eprintln!(
            "artty: `artty batches list` shows their progress; `artty batches fetch` saves their images"
        );
    }
    Ok(())
}

fn money(estimate: Option<Estimate>) -> String {
    match estimate {
        None => "unknown".into(),
        Some(e) if e.is_range() => format!("${:.2}–${:.2}", e.low, e.high),
        Some(e) => format!("${:.2}", e.high),
    }
}

/// Both prices, before anything is sent.
fn print_prices(out: &Output, plan: &Plan) {
    let (here, batch) = plan.prices();
    let planned = &plan.planned;
    if out.json {
        super::output::print_json(&json!({
            "status": "estimate", "requests": planned.len(),
            "run_here_usd": here.map(|e| json!({ "low": e.low, "high": e.high })),
            "batch_api_usd": batch.map(|e| json!({ "low": e.low, "high": e.high })),
        }));
        return;
    }
    eprintln!(
        "artty: {} request(s): about {} run here, {} on the Batch API{}",
        planned.len(),
        money(here),
        money(batch),
        if batch.is_none() {
            " (the model table gives no Batch API price for a model used)"
        } else {
            ""
        }
    );
}

fn report(out: &Output, submission: &Submission) {
    let id = submission.api_batch_id.as_deref().unwrap_or("-");
    if out.json {
        super::output::print_json(&json!({
            "status": "submitted", "batch_id": id, "submission": submission.id,
            "endpoint": submission.endpoint.path(), "requests": submission.lines.len(),
            "estimate_usd": submission.estimate_usd,
        }));
    } else {
        super::stdout::line(&format!(
            "{id}\t{} request(s) to /v1/{}",
            submission.lines.len(),
            submission.endpoint.path()
        ));
    }
}
