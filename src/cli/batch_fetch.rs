//! `artty batches fetch [ID]`: each finished batch's images saved into the
//! gallery (`batch_api::fetch`), what each gave printed, and an exit code
//! that says whether any line made no image.

use serde_json::json;

use super::output::Output;
use crate::api::batch_wire::BatchObject;
use crate::batch_api::fetch::{Fetch, Lock, fetch_one};
use crate::batch_api::send::reconcile;
use crate::batch_api::{Bench, Report};
use crate::config::context::Context;
use crate::config::failure::{Exit, Failure};
use crate::store::batch_journal::Submission;
use crate::store::sidecar::SavedImage;

impl Report for Output {
    fn warn(&self, text: &str) {
        Output::warn(self, text);
    }

    fn saved(&self, image: &SavedImage, line: usize) {
        self.saved_from(image, Some(line));
    }
}

pub async fn fetch(ctx: &Context, out: &Output, name: Option<&str>) -> Result<(), Failure> {
    let bench = Bench::of(ctx);
    let journal = bench.journal()?;
    let mut targets: Vec<Submission> = match name {
        Some(name) => vec![bench.find(&journal, name)?],
        None => bench
            .own(&journal)
            .into_iter()
            .filter(|s| s.open())
            .collect(),
    };
    if targets.is_empty() {
        eprintln!("artty: no batch is waiting to be fetched (`artty batches list` shows them all)");
        return Ok(());
    }
    let client = ctx.keyed_client()?;
    reconcile(&client, &journal, &mut targets).await?;
    let (mut unfinished, mut failed_lines, mut failures) = (0, 0, Vec::new());
    let mut with_failures: Vec<String> = Vec::new();
    for submission in targets.iter_mut().filter(|s| !s.abandoned) {
        if let Some(fetched) = &submission.fetched {
            eprintln!(
                "artty: {} was fetched already: {} line(s) saved, {} made no image",
                submission.name(),
                fetched.saved,
                fetched.failed.len()
            );
            continue;
        }
        match fetch_one(&bench, out, &client, &journal, submission, Lock::Take).await {
            Ok(Fetch::Waiting(batch)) => {
                unfinished += 1;
                say_waiting(out, submission, &batch);
            }
            Ok(Fetch::Fetched) => {
                let failed = submission.fetched.as_ref().map_or(0, |f| f.failed.len());
                if failed > 0 {
                    with_failures.push(submission.name().to_string());
                }
                failed_lines += failed;
                say_fetched(out, submission);
            }
            Err(failure) => failures.push(failure),
        }
    }
    // Each failure is printed once: the last as the command's own.
    if let Some(last) = failures.pop() {
        for earlier in &failures {
            out.failure(earlier);
        }
        return Err(last);
    }
    if failed_lines > 0 {
        return Err(Failure {
            exit: Exit::Api,
            message: format!(
                "{failed_lines} line(s) made no image: {} sends them again",
                with_failures
                    .iter()
                    .map(|id| format!("`artty batches retry {id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            api: None,
        });
    }
    if unfinished > 0 && !out.json {
        eprintln!("artty: {unfinished} batch(es) still running: fetch again later");
    }
    Ok(())
}

fn say_waiting(out: &Output, submission: &Submission, batch: &BatchObject) {
    let counts = batch.request_counts;
    if out.json {
        super::output::print_json(&json!({
            "batch_id": batch.id, "status": batch.status.name(),
            "completed": counts.completed, "failed": counts.failed, "total": counts.total,
        }));
    } else {
        eprintln!(
            "artty: {} is {}: {}/{} done, {} failed",
            submission.name(),
            batch.status.name(),
            counts.completed,
            counts.total,
            counts.failed
        );
    }
}

fn say_fetched(out: &Output, submission: &Submission) {
    let Some(fetched) = &submission.fetched else {
        return;
    };
    if out.json {
        super::output::print_json(&json!({
            "batch_id": submission.api_batch_id, "status": "fetched", "saved": fetched.saved,
            "failed": fetched.failed.iter().map(|l| json!({ "line": l.number, "custom_id": l.custom_id, "reason": l.reason })).collect::<Vec<_>>(),
        }));
        return;
    }
    for line in &fetched.failed {
        eprintln!(
            "artty: {} line {}: no image: {}",
            submission.source, line.number, line.reason
        );
    }
    eprintln!(
        "artty: {}: {} line(s) saved, {} made no image",
        submission.name(),
        fetched.saved,
        fetched.failed.len()
    );
}
