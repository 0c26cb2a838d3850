//! `artty batch FILE --batch-api`: every line checked with the model
//! table first (nothing is uploaded while any line is being read), then
//! the pictures edit lines name uploaded once each, the lines written as
//! one request each into as many input files as the API's limits need,
//! and each batch created and journalled. Lines already in the gallery,
//! or waiting in a batch not yet fetched, are not sent again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::args::ParamArgs;
use super::batch_cmd::{LoadedBatch, checked_line, gallery_images, load};
use super::batch_lines::line_request;
use super::batch_send::{journal, send, waiting_keys};
use super::output::Output;
use crate::api::catalog::Endpoint;
use crate::api::cost::{Estimate, estimate};
use crate::api::{ImageParams, ImagesClient, InputImage};
use crate::batch::api_plan::{Limits, custom_id, input_line, split};
use crate::batch::{BatchLine, done_keys, remaining};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::batch_journal::{BatchJournal, JournalLine, Submission, sha256_hex};

/// A line checked and ready to become a request of a batch.
struct Planned {
    line: BatchLine,
    /// The parameters as checked; the pictures are not kept.
    params: ImageParams,
    endpoint: Endpoint,
    here: Option<Estimate>,
    batch: Option<Estimate>,
}

pub async fn submit(
    ctx: &Context,
    out: &Output,
    file: PathBuf,
    args: &ParamArgs,
) -> Result<(), Failure> {
    let LoadedBatch { shown, batch, base } = load(ctx, out, &file, args)?;
    let _lock = crate::store::batch_lock::BatchLock::take(&ctx.dirs.locks(), &batch.id)
        .map_err(Failure::local)?;
    let journal = journal(ctx)?;
    let images = gallery_images(ctx).await?;
    let done = done_keys(&batch.id, images.iter());
    let waiting = waiting_keys(ctx, &journal, &batch.id);
    let todo: Vec<BatchLine> = remaining(&batch, &done)
        .into_iter()
        .filter(|l| !waiting.contains(&l.key))
        .collect();
    let skipped = batch.lines.len() - todo.len();
    let mut invalid = batch.bad.len();
    let mut planned = Vec::new();
    for line in todo {
        match plan(ctx, &line, &base).await {
            Ok(p) => planned.push(p),
            Err(why) => {
                invalid += 1;
                out.line_invalid(&shown, line.number, &format!("not sent: {why}"));
            }
        }
    }
    if skipped > 0 {
        eprintln!(
            "artty: {skipped} line(s) already done or waiting in a batch, skipped (`artty batches list`)"
        );
    }
    if invalid > 0 {
        return Err(Failure::invalid(format!(
            "{invalid} line(s) cannot be sent to the Batch API: fix them and run again (nothing was uploaded)"
        )));
    }
    if planned.is_empty() {
        eprintln!("artty: nothing left to send in {shown}");
        return Ok(());
    }
    if ctx.config.api_key.is_none() {
        return Err(ctx.no_key());
    }
    print_prices(out, &planned);
    let client = ctx.client()?;
    let mut uploads = Uploads::new(ctx, &journal);
    let mut lines = Vec::with_capacity(planned.len());
    for p in &planned {
        lines.push(journal_line(&client, &mut uploads, p, &base).await?);
    }
    let sizes: Vec<_> = planned
        .iter()
        .zip(&lines)
        .map(|(p, l)| {
            let url = crate::api::batch_wire::batch_url(p.endpoint).unwrap_or("");
            (
                p.endpoint,
                input_line(&l.custom_id, url, &l.body).len() as u64,
            )
        })
        .collect();
    let parts = split(&sizes, Limits::API);
    let mut lines: Vec<Option<JournalLine>> = lines.into_iter().map(Some).collect();
    for (number, part) in parts.iter().enumerate() {
        let estimate = sum(part.lines.iter().map(|&i| planned[i].batch));
        let mut submission = Submission::new(
            BatchJournal::new_id(&batch.id, number),
            ctx.server_label(),
            ctx.demo.is_some(),
            shown.clone(),
            batch.id.clone(),
            part.endpoint,
            part.lines.iter().filter_map(|&i| lines[i].take()).collect(),
        );
        submission.estimate_usd = estimate.map(|e| e.high);
        send(&client, &journal, &mut submission).await?;
        report(out, &submission);
    }
    if !out.json {
        eprintln!(
            "artty: `artty batches list` shows their progress; `artty batches fetch` saves their images"
        );
    }
    Ok(())
}

/// Checks a line with the model table and the Batch API's own rules.
async fn plan(ctx: &Context, line: &BatchLine, base: &Path) -> Result<Planned, String> {
    let mut line = line.clone();
    if line.params.stream == Some(true) || line.params.partial_images.is_some() {
        return Err(
            "the Batch API does not stream: remove \"stream\" and \"partial_images\"".into(),
        );
    }
    if line.params.response_format.as_deref() == Some("url") {
        return Err(
            "links expire after 60 minutes and a batch is read hours later: remove \"response_format\"".into(),
        );
    }
    let spec = ctx.catalog.get(&line.params.model);
    if line.params.response_format.is_none()
        && spec.is_some_and(|s| s.response_formats.iter().any(|f| f == "b64_json"))
    {
        // A model that answers with links by default is asked for the pictures themselves.
        line.params.response_format = Some("b64_json".into());
    }
    let (valid, built) = checked_line(ctx, &line, base).await?;
    let request = valid.request();
    let demo = ctx.demo.is_some();
    let here = match demo {
        // The demo charges nothing, either way.
        true => Some(Estimate::exact(0.0)),
        false => spec.and_then(|s| {
            estimate(
                s,
                &request.params,
                request.endpoint,
                built.request.images.len(),
            )
        }),
    };
    let factor = match demo {
        true => Some(1.0),
        false => spec
            .and_then(|s| s.price.as_ref())
            .and_then(|p| p.batch_factor),
    };
    let batch = here.zip(factor).map(|(e, f)| Estimate {
        low: e.low * f,
        high: e.high * f,
    });
    Ok(Planned {
        line,
        params: request.params.clone(),
        endpoint: request.endpoint,
        here,
        batch,
    })
}

fn sum(mut items: impl Iterator<Item = Option<Estimate>>) -> Option<Estimate> {
    items.try_fold(Estimate::exact(0.0), |total, one| Some(total + one?))
}

fn money(estimate: Option<Estimate>) -> String {
    match estimate {
        None => "unknown".into(),
        Some(e) if e.is_range() => format!("${:.2}–${:.2}", e.low, e.high),
        Some(e) => format!("${:.2}", e.high),
    }
}

/// Both prices, before anything is sent.
fn print_prices(out: &Output, planned: &[Planned]) {
    let here = sum(planned.iter().map(|p| p.here));
    let batch = sum(planned.iter().map(|p| p.batch));
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

/// Uploaded pictures by content: each uploaded once, on this server ever.
struct Uploads<'a> {
    server: String,
    journal: &'a BatchJournal,
    this_run: HashMap<String, String>,
}

impl<'a> Uploads<'a> {
    fn new(ctx: &Context, journal: &'a BatchJournal) -> Uploads<'a> {
        let server = match ctx.demo.is_some() {
            true => "demo".to_string(),
            false => ctx.server_label(),
        };
        Uploads {
            server,
            journal,
            this_run: HashMap::new(),
        }
    }

    /// `{"file_id": …}` for a picture, uploading it if this server has not got it.
    async fn reference(
        &mut self,
        client: &ImagesClient,
        image: &InputImage,
    ) -> Result<Value, Failure> {
        let sha = sha256_hex(&image.bytes);
        let known = match self.this_run.get(&sha) {
            Some(id) => Some(id.clone()),
            None => self.journal.uploaded(&self.server, &sha),
        };
        let id = match known {
            Some(id) => id,
            None => {
                let file = client
                    .upload_file(
                        &image.file_name,
                        image.info.format.mime(),
                        image.bytes.clone(),
                        "vision",
                    )
                    .await?;
                self.journal.remember_upload(&self.server, &sha, &file.id)?;
                file.id
            }
        };
        self.this_run.insert(sha, id.clone());
        Ok(json!({ "file_id": id }))
    }
}

/// A planned line as the journal keeps it: its exact body, pictures by file id.
async fn journal_line(
    client: &ImagesClient,
    uploads: &mut Uploads<'_>,
    planned: &Planned,
    base: &Path,
) -> Result<JournalLine, Failure> {
    let params = planned.params.clone();
    let mut body = serde_json::to_value(&params).unwrap_or(Value::Null);
    // Read again (the first reading was let go, so memory holds one line's
    // pictures at a time); the bytes are hashed, so a file changed since
    // is uploaded as it is now.
    let built = line_request(&planned.line, base).await?;
    if let Value::Object(fields) = &mut body {
        if !built.request.images.is_empty() {
            let mut listed = Vec::with_capacity(built.request.images.len());
            for image in &built.request.images {
                listed.push(uploads.reference(client, image).await?);
            }
            fields.insert("images".into(), Value::Array(listed));
        }
        if let Some(mask) = &built.request.mask {
            fields.insert("mask".into(), uploads.reference(client, mask).await?);
        }
        if let Some(markup) = &built.request.markup {
            fields.insert("markup".into(), uploads.reference(client, markup).await?);
        }
    }
    Ok(JournalLine {
        custom_id: custom_id(planned.line.number, &planned.line.key),
        number: planned.line.number,
        key: planned.line.key.clone(),
        params,
        body,
        sources: built.sources,
        mask: built.mask,
        markup: built.markup,
    })
}
