//! A fake batch's life: `validating → in_progress → finalizing →
//! completed` on the store's clock (or `failed`, `expired`, `cancelling →
//! cancelled`), and, when it ends, every line of its input answered as the
//! images endpoints would answer it, written line by line into an output
//! file and an error file on disk.

use std::io::{BufRead, Write};
use std::sync::Arc;

use base64::Engine;
use serde_json::{Value, json};

use super::batch_store::{BatchStore, Ended, StoredBatch, StoredFile};
use super::state::FakeState;

/// Where a batch stands at `now`, without changing anything.
pub fn phase(batch: &StoredBatch, now: i64) -> &'static str {
    if let Some(ended) = &batch.ended {
        return match ended.status.as_str() {
            "completed" => "completed",
            "failed" => "failed",
            "expired" => "expired",
            _ => "cancelled",
        };
    }
    if batch.cancelled_at.is_some() {
        return "cancelling";
    }
    let elapsed = (now - batch.created_at).max(0) as f64;
    let t = batch.seconds.max(1) as f64;
    match elapsed / t {
        f if f < 0.1 => "validating",
        f if f < 0.8 => "in_progress",
        f if f < 1.0 => "finalizing",
        _ => "due",
    }
}

/// The share of lines done at `at`: none while validating, all by finalizing.
fn progress(batch: &StoredBatch, at: i64) -> f64 {
    let elapsed = (at - batch.created_at).max(0) as f64;
    let t = batch.seconds.max(1) as f64;
    ((elapsed / t - 0.1) / 0.7).clamp(0.0, 1.0)
}

/// The batch as the API describes it at `now`.
pub fn describe(batch: &StoredBatch, now: i64) -> Value {
    let status = match phase(batch, now) {
        "due" => "finalizing",
        other => other,
    };
    let (completed, failed) = match &batch.ended {
        Some(ended) => (ended.completed, ended.failed),
        None => ((progress(batch, now) * batch.total as f64) as u64, 0),
    };
    let ended = batch.ended.as_ref();
    json!({
        "id": batch.id, "object": "batch", "endpoint": batch.endpoint,
        "input_file_id": batch.input_file_id, "completion_window": "24h", "status": status,
        "created_at": batch.created_at, "expires_at": batch.created_at + 24 * 3600,
        "output_file_id": ended.and_then(|e| e.output_file_id.clone()),
        "error_file_id": ended.and_then(|e| e.error_file_id.clone()),
        "completed_at": ended.filter(|e| e.status == "completed").map(|e| e.at),
        "cancelled_at": ended.filter(|e| e.status == "cancelled").map(|e| e.at),
        "cancelling_at": batch.cancelled_at,
        "request_counts": { "total": batch.total, "completed": completed, "failed": failed },
        "metadata": batch.metadata,
        "usage": ended.and_then(|e| e.usage.clone()),
        "errors": match (&batch.plan.fail, ended) {
            (Some(message), Some(_)) => json!({ "object": "list", "data": [{ "code": "invalid_request", "line": 1, "message": message }] }),
            _ => Value::Null,
        },
    })
}

/// Brings a batch up to `now`: a batch whose time has come is run and
/// ended (and kept so); others are left as they are.
pub async fn settle(
    state: &Arc<FakeState>,
    store: &BatchStore,
    mut batch: StoredBatch,
) -> StoredBatch {
    let now = store.now();
    if batch.ended.is_some() {
        return batch;
    }
    let stop = match (phase(&batch, now), batch.cancelled_at) {
        (_, Some(at)) => Some(("cancelled", at)),
        ("due", None) if batch.plan.fail.is_some() => Some(("failed", now)),
        ("due", None) if batch.plan.expire => Some(("expired", now)),
        ("due", None) => Some(("completed", now)),
        _ => None,
    };
    let Some((status, at)) = stop else {
        return batch;
    };
    let share = match status {
        "completed" => 1.0,
        "failed" => 0.0,
        "expired" => 0.5,
        _ => progress(&batch, at),
    };
    let ended = match status {
        // A batch refused in validation runs nothing and has no files: its
        // `errors` say why.
        "failed" => Ended {
            status: status.to_string(),
            at: now,
            completed: 0,
            failed: 0,
            output_file_id: None,
            error_file_id: None,
            usage: None,
        },
        _ => run_lines(state, store, &batch, share, status).await,
    };
    batch.ended = Some(Ended {
        status: status.to_string(),
        at: now,
        ..ended
    });
    let _ = store.put_batch(&batch);
    batch
}

/// Answers the first `share` of the input's lines into an output file;
/// the rest, and every failed line, go to the error file.
async fn run_lines(
    state: &Arc<FakeState>,
    store: &BatchStore,
    batch: &StoredBatch,
    share: f64,
    status: &str,
) -> Ended {
    let mut ended = Ended {
        status: status.to_string(),
        at: 0,
        completed: 0,
        failed: 0,
        output_file_id: None,
        error_file_id: None,
        usage: None,
    };
    let Some(input) = store
        .content_path(&batch.input_file_id)
        .and_then(|p| std::fs::File::open(p).ok())
    else {
        return ended;
    };
    let run = (share * batch.total as f64).floor() as u64;
    let output_id = store.new_id("file");
    let error_id = store.new_id("file");
    let (Some(output_path), Some(error_path)) = (
        store.content_path(&output_id),
        store.content_path(&error_id),
    ) else {
        return ended;
    };
    let (Ok(output), Ok(errors)) = (
        std::fs::File::create(&output_path),
        std::fs::File::create(&error_path),
    ) else {
        return ended;
    };
    let mut output = std::io::BufWriter::new(output);
    let mut errors = std::io::BufWriter::new(errors);
    let heavy = batch.plan.image_bytes.map(heavy_image_b64);
    let mut output_tokens = 0u64;
    for (index, line) in std::io::BufReader::new(input).lines().enumerate() {
        let Ok(line) = line else { break };
        let Ok(request) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let custom_id = request["custom_id"].clone();
        let line_id = format!("batch_req_{index:06}");
        if index as u64 >= run {
            let error = json!({ "id": line_id, "custom_id": custom_id, "response": null, "error": {
                "code": if status == "expired" { "batch_expired" } else { "batch_cancelled" },
                "message": "This request could not be executed before the batch ended." } });
            let _ = writeln!(errors, "{error}");
            ended.failed += 1;
            continue;
        }
        let (code, body) = match &heavy {
            Some(b64) => (200, heavy_answer(b64)),
            None => {
                super::batch_answer::answer_line(state, store, &request["body"], &batch.endpoint)
                    .await
            }
        };
        if code == 200 {
            output_tokens += body["usage"]["output_tokens"].as_u64().unwrap_or(0);
        }
        let line = json!({ "id": line_id, "custom_id": custom_id, "response": {
            "status_code": code, "request_id": format!("req_batch_{index:06}"), "body": body }, "error": null });
        let sink = if code == 200 {
            &mut output
        } else {
            &mut errors
        };
        let _ = writeln!(sink, "{line}");
        match code {
            200 => ended.completed += 1,
            _ => ended.failed += 1,
        }
    }
    let _ = (output.flush(), errors.flush());
    drop((output, errors));
    for (id, path, purpose, keep) in [
        (
            &output_id,
            &output_path,
            "batch_output",
            ended.completed > 0,
        ),
        (&error_id, &error_path, "batch_output", ended.failed > 0),
    ] {
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        if !keep {
            let _ = std::fs::remove_file(path);
            continue;
        }
        let _ = store.add_file(&StoredFile {
            id: id.clone(),
            bytes,
            filename: format!(
                "{}_{}.jsonl",
                batch.id,
                if id == &output_id { "output" } else { "error" }
            ),
            purpose: purpose.to_string(),
            created_at: store.now(),
        });
    }
    ended.output_file_id = (ended.completed > 0).then_some(output_id);
    ended.error_file_id = (ended.failed > 0).then_some(error_id);
    ended.usage = Some(
        json!({ "input_tokens": 10 * ended.completed, "output_tokens": output_tokens,
        "total_tokens": 10 * ended.completed + output_tokens,
        "input_tokens_details": { "cached_tokens": 0 }, "output_tokens_details": { "reasoning_tokens": 0 } }),
    );
    ended
}

/// One picture of noise, drawn once per batch and given as every answer.
fn heavy_image_b64(bytes: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(crate::images::synthetic::noise_png(bytes, 7))
}

fn heavy_answer(b64: &str) -> Value {
    json!({ "created": 1, "data": [{ "b64_json": b64 }], "usage": { "input_tokens": 10,
        "output_tokens": 1056, "total_tokens": 1066,
        "input_tokens_details": { "text_tokens": 10, "image_tokens": 0 } } })
}
