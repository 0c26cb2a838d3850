//! `artty batch FILE`: every line of a batch file, a few requests at a
//! time, each line's images saved as they arrive; lines already in the
//! gallery are skipped, so an interrupted batch is resumed by running the
//! same command again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::args::ParamArgs;
use super::output::Output;
use crate::api::ValidRequest;
use crate::batch::{BatchFile, BatchLine, batch_id, done_keys, parse, remaining, stdin_batch_id};
use crate::batch_api::Bench;
use crate::batch_api::lines::{LineRequest, checked_line};
use crate::config::context::Context;
use crate::config::failure::{Exit, Failure};
use crate::store::local_file;
use crate::store::sidecar::RequestRecord;
use crate::util::inert::inert;

/// Requests at once unless --jobs says otherwise: enough to keep a batch
/// moving, few enough to stay under most rate limits.
pub const SLOTS: usize = 3;

/// A batch file read and parsed, with where its relative paths start.
pub struct LoadedBatch {
    /// The file as shown in messages (`stdin` for `-`).
    pub shown: String,
    pub batch: BatchFile,
    /// The batch file's folder: relative input paths are read from there.
    pub base: PathBuf,
}

/// Reads and parses a batch file (or stdin for `-`); bad lines are printed.
pub fn load(
    ctx: &Context,
    out: &Output,
    file: &Path,
    args: &ParamArgs,
) -> Result<LoadedBatch, Failure> {
    let from_stdin = crate::batch_api::inputs::is_stdin(file);
    let shown = match from_stdin {
        true => "stdin".to_string(),
        false => inert(&file.display().to_string(), 200),
    };
    let text = match from_stdin {
        true => local_file::read_stdin_text(local_file::limit::BATCH),
        false => local_file::read_text(file, local_file::limit::BATCH, local_file::Named::ByUser),
    }
    .map_err(|e| Failure::invalid(format!("could not read {shown}: {e}")))?;
    let defaults = super::images_cmd::default_params(ctx, args);
    let canonical = local_file::canonical(file);
    let (id, base) = match from_stdin {
        true => (
            stdin_batch_id(&text),
            std::env::current_dir().unwrap_or_default(),
        ),
        false => (
            batch_id(&canonical),
            canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        ),
    };
    let batch = parse(id, &text, &defaults);
    for bad in &batch.bad {
        out.line_invalid(&shown, bad.number, &format!("skipped: {}", bad.why));
    }
    Ok(LoadedBatch { shown, batch, base })
}

pub async fn run(
    ctx: &Context,
    out: &Output,
    file: PathBuf,
    args: &ParamArgs,
    slots: usize,
) -> Result<(), Failure> {
    let LoadedBatch { shown, batch, base } = load(ctx, out, &file, args)?;
    // Held to the end of the run: a second run of this file would bill
    // every line again.
    let _lock = crate::store::batch_lock::BatchLock::take(&ctx.dirs.locks(), &batch.id)
        .map_err(Failure::local)?;
    let bench = Bench::of(ctx);
    let images = bench.gallery_images().await?;
    let done = done_keys(&batch.id, images.iter());
    let todo = remaining(&batch, &done);
    let skipped = batch.lines.len() - todo.len();
    let mut runs = Vec::new();
    let mut invalid = batch.bad.len();
    for line in todo {
        match checked_line(&bench, &line, &base).await {
            Ok((valid, built)) => runs.push((line, valid, built)),
            Err(why) => {
                invalid += 1;
                out.line_invalid(&shown, line.number, &format!("not sent: {why}"));
            }
        }
    }
    if skipped > 0 {
        eprintln!("artty: {skipped} line(s) already done, skipped");
    }
    if runs.is_empty() {
        eprintln!("artty: nothing left to run in {shown}");
        return finish(0, invalid);
    }
    if ctx.config.api_key.is_none() {
        return Err(ctx.no_key());
    }
    let client = Arc::new(ctx.client()?);
    let gate = Arc::new(Semaphore::new(slots.max(1)));
    let mut set = JoinSet::new();
    let total = runs.len();
    for (line, valid, built) in runs {
        let record = record(ctx, &batch.id, &line, &valid, built);
        let (client, gate, dir) = (client.clone(), gate.clone(), ctx.gallery_dir.clone());
        set.spawn(async move {
            let _turn = gate.acquire_owned().await;
            let result = async {
                let generation = client.create(&valid, &mut |_| {}).await?;
                if let Some(warning) = &generation.warning {
                    tracing::warn!("{warning}");
                }
                crate::batch_api::save::save_or_rescue(dir, generation, record).await
            }
            .await;
            (line.number, result)
        });
    }
    let bar = super::progress::BatchBar::new(out.progress_live(), total, slots.max(1));
    let (mut saved_lines, mut failed) = (0, 0);
    while let Some(joined) = set.join_next().await {
        let Ok((number, result)) = joined else {
            failed += 1;
            continue;
        };
        bar.suspend(|| match result {
            Ok(images) => {
                saved_lines += 1;
                for image in &images {
                    out.saved_from(image, Some(number));
                }
            }
            Err(failure) => {
                failed += 1;
                out.line_failed(&shown, number, &failure);
            }
        });
        bar.update(saved_lines + failed, failed, set.len().min(slots.max(1)));
    }
    bar.done();
    eprintln!("artty: batch: {saved_lines} line(s) saved, {failed} failed, {skipped} already done");
    finish(failed, invalid)
}

/// Exit 0 when every line ran; otherwise the batch can be run again.
fn finish(failed: usize, invalid: usize) -> Result<(), Failure> {
    if failed > 0 {
        return Err(Failure {
            exit: Exit::Api,
            message: format!("{failed} line(s) failed: run the same command again to retry them"),
            api: None,
        });
    }
    if invalid > 0 {
        return Err(Failure::invalid(format!(
            "{invalid} line(s) could not be sent: fix them and run again"
        )));
    }
    Ok(())
}

fn record(
    ctx: &Context,
    id: &str,
    line: &BatchLine,
    valid: &ValidRequest,
    built: LineRequest,
) -> RequestRecord {
    let params = valid.request().params.clone();
    let prices = ctx.catalog.prices(&params.model, ctx.demo.is_some());
    RequestRecord {
        group: Some(line.group(id)),
        sources: built.sources,
        mask: built.mask,
        markup: built.markup,
        ..RequestRecord::new(valid.request().endpoint, params, ctx.server_label(), prices)
    }
}
