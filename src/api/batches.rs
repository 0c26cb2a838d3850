//! The Files API and the Batch API, on the images client: upload a file,
//! create, read, list and cancel batches, and stream a file's content into
//! a sink the caller owns (the client never opens a file itself).

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::batch_wire::{
    BatchObject, COMPLETION_WINDOW, FileObject, checked_id, parse_batch, parse_batch_list,
    parse_file,
};
use super::body::{Cap, next_chunk, read_capped};
use super::client::ImagesClient;
use super::error::ApiError;
use super::untrusted::Boundary;

/// A batch or file object is a few kilobytes; a list page of 100 well under a megabyte.
const OBJECT_CAP: u64 = 4 * 1024 * 1024;
/// A file's content is streamed, never held: this only bounds how long
/// one download may take, since a batch's output can be gigabytes.
const CONTENT_TIMEOUT: Duration = Duration::from_secs(6 * 60 * 60);
const LIST_PAGE: u32 = 100;

/// What a batch is created with.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBatch<'a> {
    pub input_file_id: &'a str,
    /// `/v1/images/generations` or `/v1/images/edits`.
    pub endpoint: &'a str,
    /// Up to 16 pairs the batch carries (artty names its batch file and part).
    pub metadata: &'a [(String, String)],
}

impl ImagesClient {
    /// `POST /files`: uploads `bytes` as `file_name` for `purpose`
    /// (`batch` for an input file, `vision` for an edit's images).
    pub async fn upload_file(
        &self,
        file_name: &str,
        content_type: &str,
        bytes: bytes::Bytes,
        purpose: &str,
    ) -> Result<FileObject, ApiError> {
        let url = self.config().request_url("files", "");
        tracing::info!("POST {} ({} bytes, {purpose})", url.path(), bytes.len());
        let build = || {
            let part = Part::stream_with_length(bytes.clone(), bytes.len() as u64)
                .file_name(super::client::header_safe_file_name(file_name))
                .mime_str(content_type)
                .map_err(|e| ApiError::Protocol {
                    detail: super::body::error_chain(&e),
                    request_id: None,
                })?;
            let form = Form::new()
                .text("purpose", purpose.to_string())
                .part("file", part);
            Ok(self.http()?.post(url.clone()).multipart(form))
        };
        let body = self.object(build, "uploaded file").await?;
        parse_file(&body, self.boundary())
    }

    /// `POST /batches`.
    pub async fn create_batch(&self, batch: &NewBatch<'_>) -> Result<BatchObject, ApiError> {
        let url = self.config().request_url("batches", "");
        let metadata: serde_json::Map<String, serde_json::Value> = batch
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        let json = serde_json::json!({
            "input_file_id": batch.input_file_id,
            "endpoint": batch.endpoint,
            "completion_window": COMPLETION_WINDOW,
            "metadata": metadata,
        });
        tracing::info!("POST {} for {}", url.path(), batch.input_file_id);
        let body = self
            .object(|| Ok(self.http()?.post(url.clone()).json(&json)), "batch")
            .await?;
        parse_batch(&body, self.boundary())
    }

    /// `GET /batches/{id}`.
    pub async fn get_batch(&self, id: &str) -> Result<BatchObject, ApiError> {
        let url = self
            .config()
            .request_url(&format!("batches/{}", checked_id(id, "batch")?), "");
        let body = self
            .object(|| Ok(self.http()?.get(url.clone())), "batch")
            .await?;
        parse_batch(&body, self.boundary())
    }

    /// `POST /batches/{id}/cancel`: the batch moves to `cancelling`.
    pub async fn cancel_batch(&self, id: &str) -> Result<BatchObject, ApiError> {
        let url = self
            .config()
            .request_url(&format!("batches/{}/cancel", checked_id(id, "batch")?), "");
        let body = self
            .object(|| Ok(self.http()?.post(url.clone())), "batch")
            .await?;
        parse_batch(&body, self.boundary())
    }

    /// `GET /batches`, newest first, at most `limit` of them over as many pages as it takes.
    pub async fn list_batches(&self, limit: usize) -> Result<Vec<BatchObject>, ApiError> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        while all.len() < limit {
            let mut url = self.config().request_url("batches", "");
            url.query_pairs_mut()
                .append_pair("limit", &LIST_PAGE.to_string());
            if let Some(after) = &after {
                url.query_pairs_mut().append_pair("after", after);
            }
            let body = self
                .object(|| Ok(self.http()?.get(url.clone())), "batch list")
                .await?;
            let (page, next) = parse_batch_list(&body, self.boundary())?;
            all.extend(page);
            match next {
                // A server repeating its cursor would page forever.
                Some(next) if after.as_ref() != Some(&next) => after = Some(next),
                _ => break,
            }
        }
        all.truncate(limit);
        Ok(all)
    }

    /// `DELETE /files/{id}`.
    pub async fn delete_file(&self, id: &str) -> Result<(), ApiError> {
        let url = self
            .config()
            .request_url(&format!("files/{}", checked_id(id, "file")?), "");
        self.object(|| Ok(self.http()?.delete(url.clone())), "deleted file")
            .await
            .map(|_| ())
    }

    /// `GET /files/{id}/content`, written piece by piece into `sink`: memory
    /// stays at one network chunk however large the file. Returns the bytes
    /// written; fails past `max_bytes`.
    pub async fn download_file(
        &self,
        id: &str,
        sink: &mut (dyn AsyncWrite + Unpin + Send),
        max_bytes: u64,
    ) -> Result<u64, ApiError> {
        let url = self
            .config()
            .request_url(&format!("files/{}/content", checked_id(id, "file")?), "");
        tracing::info!("GET {}", url.path());
        let mut response = self
            .send_with_retries(&mut |_| {}, || {
                Ok(self.http()?.get(url.clone()).timeout(CONTENT_TIMEOUT))
            })
            .await?;
        let cap = Cap {
            bytes: max_bytes,
            timeout: CONTENT_TIMEOUT,
            what: "batch file",
        };
        let too_large = ApiError::TooLarge {
            what: cap.what,
            limit: cap.bytes,
        };
        // Read before the body: reqwest's length counts down as it arrives.
        let expected = response.content_length();
        if expected.is_some_and(|len| len > max_bytes) {
            return Err(too_large);
        }
        let broke_off = |detail: String| ApiError::FileDownload {
            file: id.to_string(),
            detail,
        };
        let mut written = 0u64;
        loop {
            let chunk = match next_chunk(&mut response, cap).await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(ApiError::ConnectionLost { detail }) => return Err(broke_off(detail)),
                Err(ApiError::Timeout { after, .. }) => {
                    return Err(broke_off(format!("no data for {} s", after.as_secs())));
                }
                Err(other) => return Err(other),
            };
            written += chunk.len() as u64;
            if written > max_bytes {
                return Err(too_large);
            }
            sink.write_all(&chunk)
                .await
                .map_err(|e| ApiError::Protocol {
                    detail: format!("the file could not be written: {e}"),
                    request_id: None,
                })?;
        }
        if let Some(expected) = expected
            && expected != written
        {
            return Err(broke_off(format!(
                "it ended after {written} of {expected} bytes"
            )));
        }
        Ok(written)
    }

    async fn object(
        &self,
        build: impl Fn() -> Result<reqwest::RequestBuilder, ApiError>,
        what: &'static str,
    ) -> Result<bytes::Bytes, ApiError> {
        let mut response = self.send_with_retries(&mut |_| {}, build).await?;
        let cap = Cap {
            bytes: OBJECT_CAP,
            ..self.cap(what)
        };
        read_capped(&mut response, cap).await
    }

    fn boundary(&self) -> Boundary<'_> {
        Boundary::new(self.secret(), None)
    }
}
