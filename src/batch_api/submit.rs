//! A batch file sent to the Batch API: every line checked with the model
//! table first (nothing is uploaded while any line is being read), then
//! the pictures edit lines name uploaded once each, the lines written as
//! one request each into as many input files as the API's limits need,
//! and each batch created and journalled. Lines already in the gallery,
//! or waiting in a batch not yet fetched, are not sent again.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};

use super::Bench;
use super::lines::{checked_line, line_request};
use super::send::send;
use crate::api::catalog::Endpoint;
use crate::api::cost::{Estimate, here_and_batch, sum_of};
use crate::api::{ImageParams, ImagesClient, InputImage};
use crate::batch::api_plan::{Limits, custom_id, input_line, split};
use crate::batch::{BatchFile, BatchLine, done_keys, remaining};
use crate::config::failure::Failure;
use crate::store::batch_journal::{BatchJournal, JournalLine, Submission, sha256_hex};

/// A line checked and ready to become a request of a batch.
pub struct Planned {
    pub line: BatchLine,
    /// The parameters as checked; the pictures are not kept.
    pub params: ImageParams,
    pub endpoint: Endpoint,
    /// Its price run here, and on the Batch API.
    pub here: Option<Estimate>,
    pub batch: Option<Estimate>,
}

/// A batch file's lines as the Batch API would take them.
pub struct Plan {
    /// The batch file's id: the group its images are saved in.
    pub batch_id: String,
    /// The batch file's folder: relative picture paths are read from there.
    pub base: std::path::PathBuf,
    pub planned: Vec<Planned>,
    /// Lines already in the gallery or waiting in a batch not yet fetched.
    pub skipped: usize,
    /// Lines that cannot go, by line number, with why.
    pub invalid: Vec<(usize, String)>,
}

impl Plan {
    /// What the planned lines cost run here, and on the Batch API
    /// (`None`: unknown for a model used).
    pub fn prices(&self) -> (Option<Estimate>, Option<Estimate>) {
        (
            sum_of(self.planned.iter().map(|p| p.here)),
            sum_of(self.planned.iter().map(|p| p.batch)),
        )
    }
}

/// Checks every line of `batch` that is not done or waiting; `base` is
/// the batch file's folder. Call it under the batch file's lock.
pub async fn plan(
    bench: &Bench,
    journal: &BatchJournal,
    batch: &BatchFile,
    base: &Path,
) -> Result<Plan, Failure> {
    let images = bench.gallery_images().await?;
    let done = done_keys(&batch.id, images.iter());
    let waiting = bench.waiting_keys(journal, &batch.id);
    let todo: Vec<BatchLine> = remaining(batch, &done)
        .into_iter()
        .filter(|l| !waiting.contains(&l.key))
        .collect();
    let skipped = batch.lines.len() - todo.len();
    let mut invalid: Vec<(usize, String)> = batch
        .bad
        .iter()
        .map(|bad| (bad.number, bad.why.clone()))
        .collect();
    let mut planned = Vec::new();
    for line in todo {
        match plan_line(bench, &line, base).await {
            Ok(p) => planned.push(p),
            Err(why) => invalid.push((line.number, why)),
        }
    }
    Ok(Plan {
        batch_id: batch.id.clone(),
        base: base.to_path_buf(),
        planned,
        skipped,
        invalid,
    })
}

/// Uploads the pictures the planned lines need, splits them by the API's
/// limits and creates each batch, journalled; `sent` hears of each one
/// made. `shown` is the batch file as messages name it. Call it under the
/// batch file's lock, the one `plan` was made under.
pub async fn send_plan(
    bench: &Bench,
    client: &ImagesClient,
    journal: &BatchJournal,
    shown: &str,
    plan: &Plan,
    sent: &mut (dyn FnMut(&Submission) + Send),
) -> Result<(), Failure> {
    let planned = &plan.planned;
    let base = plan.base.as_path();
    let mut uploads = Uploads::new(bench, journal);
    let mut lines = Vec::with_capacity(planned.len());
    for p in planned {
        lines.push(journal_line(client, &mut uploads, p, base).await?);
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
        let estimate = sum_of(part.lines.iter().map(|&i| planned[i].batch));
        let mut submission = Submission::new(
            BatchJournal::new_id(&plan.batch_id, number),
            bench.server_label(),
            bench.demo,
            shown.to_string(),
            plan.batch_id.clone(),
            part.endpoint,
            part.lines.iter().filter_map(|&i| lines[i].take()).collect(),
        );
        submission.estimate_usd = estimate.map(|e| e.high);
        send(client, journal, &mut submission).await?;
        sent(&submission);
    }
    Ok(())
}

/// Checks a line with the model table and the Batch API's own rules.
async fn plan_line(bench: &Bench, line: &BatchLine, base: &Path) -> Result<Planned, String> {
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
    let spec = bench.catalog.get(&line.params.model);
    if line.params.response_format.is_none()
        && spec.is_some_and(|s| s.response_formats.iter().any(|f| f == "b64_json"))
    {
        // A model that answers with links by default is asked for the pictures themselves.
        line.params.response_format = Some("b64_json".into());
    }
    let (valid, built) = checked_line(bench, &line, base).await?;
    let request = valid.request();
    let (here, batch) = here_and_batch(
        spec,
        &request.params,
        request.endpoint,
        built.request.images.len(),
        bench.demo,
    );
    Ok(Planned {
        line,
        params: request.params.clone(),
        endpoint: request.endpoint,
        here,
        batch,
    })
}

/// Uploaded pictures by content: each uploaded once, on this server ever.
struct Uploads<'a> {
    server: String,
    journal: &'a BatchJournal,
    this_run: HashMap<String, String>,
}

impl<'a> Uploads<'a> {
    fn new(bench: &Bench, journal: &'a BatchJournal) -> Uploads<'a> {
        let server = match bench.demo {
            true => "demo".to_string(),
            false => bench.server_label(),
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
