//! The images API client: sends a validated request, retries the way the
//! official SDKs do, and hands back checked image bytes. It knows nothing of
//! files or screens; progress goes to a callback.

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, RequestBuilder, Response};

use super::lazy_http::LazyClient;

use super::body::{Cap, error_chain, read_capped};
use super::catalog::Endpoint;
use super::classify::{classify, read_error_answer};
use super::config::ClientConfig;
use super::decode::{Answered, read_answer};
use super::download::Downloader;
use super::error::ApiError;
use super::request::{ImageRequest, InputImage};
use super::response::{ModelList, RemoteModel};
use super::result::{GeneratedImage, Generation, Progress};
use super::retry::{Clock, RetryDecision, SystemClock, backoff, decide};
use super::stream::{StreamContext, read_stream};
use super::untrusted::Boundary;
use super::validate::ValidRequest;

/// Error answers are short; more than this is not worth reading.
const ERROR_BODY_CAP: u64 = 64 * 1024;
const MODEL_LIST_CAP: u64 = 16 * 1024 * 1024;

/// Talks to one OpenAI-compatible server.
#[derive(Clone)]
pub struct ImagesClient {
    http: LazyClient,
    downloader: Downloader,
    config: ClientConfig,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for ImagesClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImagesClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ImagesClient {
    pub fn new(config: ClientConfig) -> Result<ImagesClient, ApiError> {
        // Checked now: a bad header is the user's to fix before any request.
        let headers = api_headers(&config)?;
        let connect_timeout = config.connect_timeout_within(config.request_timeout);
        let timeout = config.request_timeout;
        let http = LazyClient::new(move || {
            Client::builder()
                .default_headers(headers.clone())
                // The API never redirects; following one could carry the key elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(connect_timeout)
                .timeout(timeout)
                .user_agent(super::config::USER_AGENT)
                .build()
        });
        let downloader = Downloader::new(&config);
        Ok(ImagesClient {
            http,
            downloader,
            config,
            clock: Arc::new(SystemClock),
        })
    }

    /// The HTTP client, built on first use (see `lazy_http`).
    pub(super) fn http(&self) -> Result<&Client, ApiError> {
        self.http.get().map_err(|why| ApiError::Connect {
            host: self.config.host(),
            detail: format!("the HTTPS client could not be set up: {why}"),
            attempts: 0,
        })
    }

    /// Builds the HTTP client now, so the first request does not wait for
    /// the CA roots to load. Blocks: call it off the UI thread.
    pub fn warm(&self) {
        self.http.warm();
    }

    /// Replaces the clock used for retry waits (tests record waits instead of sleeping).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> ImagesClient {
        self.clock = clock;
        self
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// `GET /models`: what the account can use, with shutdown dates where given.
    pub async fn list_models(&self) -> Result<Vec<RemoteModel>, ApiError> {
        let url = self.config.request_url("models", "");
        let mut response = self
            .send_with_retries(&mut |_| {}, || Ok(self.http()?.get(url.clone())))
            .await?;
        // A list of every model any account has is well under a megabyte.
        let cap = Cap {
            bytes: MODEL_LIST_CAP.min(self.config.max_response_bytes),
            ..self.cap("model list")
        };
        let body = read_capped(&mut response, cap).await?;
        let boundary = Boundary::new(self.secret(), None);
        let list: ModelList = super::decode::parse_json(&body).map_err(|e| ApiError::Protocol {
            detail: format!(
                "the model list was not valid JSON ({})",
                super::decode::json_error_text(&e)
            ),
            request_id: boundary.request_id(response.headers()),
        })?;
        Ok(list
            .data
            .into_iter()
            .map(|model| RemoteModel {
                id: boundary.word(&model.id, 200),
                owned_by: model.owned_by.map(|v| boundary.word(&v, 80)),
                shutdown_date: model.shutdown_date.map(|v| boundary.word(&v, 80)),
            })
            .collect())
    }

    /// Sends the request and returns the images, downloaded and checked.
    pub async fn create(
        &self,
        request: &ValidRequest,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Generation, ApiError> {
        let request = request.request();
        let outcome = self
            .create_once(request, progress)
            .await
            .map_err(|err| super::classify::format_access(err, request.params.format()));
        match &outcome {
            Ok(generation) => tracing::info!(
                "{}: {} image(s), request id {}",
                request.endpoint.path(),
                generation.images.len(),
                generation.request_id.as_deref().unwrap_or("-")
            ),
            Err(err) => tracing::warn!("{}: {}: {err}", request.endpoint.path(), err.kind()),
        }
        outcome
    }

    async fn create_once(
        &self,
        request: &ImageRequest,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Generation, ApiError> {
        let url = self
            .config
            .request_url(request.endpoint.path(), &request.params.model);
        tracing::info!("POST {} model {}", url.path(), request.params.model);
        let mut response = self
            .send_with_retries(progress, || self.build(request, url.clone()))
            .await?;
        progress(Progress::Receiving);
        let boundary = Boundary::new(self.secret(), request.params.n);
        let id = boundary.request_id(response.headers());
        if is_event_stream(&response) {
            let ctx = StreamContext {
                cap: self.cap("answer"),
                request_id: id,
                boundary,
            };
            return read_stream(&mut response, ctx, progress).await;
        }
        let body = read_capped(&mut response, self.cap("answer")).await?;
        self.images_from_json(&body, id, boundary, progress).await
    }

    fn build(&self, request: &ImageRequest, url: reqwest::Url) -> Result<RequestBuilder, ApiError> {
        Ok(match request.endpoint {
            Endpoint::Generations => self.http()?.post(url).json(&request.params),
            Endpoint::Edits | Endpoint::Variations => {
                self.http()?.post(url).multipart(form(request)?)
            }
        })
    }

    /// An images answer already received (a line of a batch's output
    /// file): decoded and checked like a direct one, links downloaded.
    pub async fn decode_answer(
        &self,
        body: &[u8],
        request_id: Option<String>,
        asked_n: Option<u8>,
    ) -> Result<Generation, ApiError> {
        let boundary = Boundary::new(self.secret(), asked_n);
        self.images_from_json(body, request_id, boundary, &mut |_| {})
            .await
    }

    async fn images_from_json(
        &self,
        body: &[u8],
        request_id: Option<String>,
        boundary: Boundary<'_>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Generation, ApiError> {
        let (answer, meta) = read_answer(body, request_id.as_deref(), boundary)?;
        let of = answer.len();
        let mut generation = Generation {
            images: Vec::with_capacity(of),
            meta,
            request_id,
            warning: None,
        };
        for (index, item) in answer.into_iter().enumerate() {
            let image = match item {
                Answered::Inline(image) => image,
                Answered::Link {
                    url,
                    revised_prompt,
                } => {
                    progress(Progress::Downloading { index, of });
                    match self.downloader.fetch(&url).await {
                        Ok((bytes, info)) => GeneratedImage {
                            bytes,
                            info,
                            revised_prompt,
                        },
                        Err(err) => return generation.kept_after(err, boundary.expected),
                    }
                }
                Answered::Broken(err) => return generation.kept_after(err, boundary.expected),
            };
            generation.images.push(image);
        }
        Ok(generation)
    }

    /// Sends, retrying what the SDKs retry. A request that reached the server
    /// and then lost its connection is never sent again: it may be billed.
    pub(super) async fn send_with_retries(
        &self,
        progress: &mut (dyn FnMut(Progress) + Send),
        build: impl Fn() -> Result<RequestBuilder, ApiError>,
    ) -> Result<Response, ApiError> {
        let mut attempt = 1;
        loop {
            progress(Progress::Sending { attempt });
            let outcome = build()?.send().await;
            let retries_used = attempt - 1;
            let can_retry = retries_used < self.config.max_retries;
            let (wait, reason) = match outcome {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => self.on_error_answer(response, attempt).await?,
                Err(err) if err.is_connect() && can_retry => {
                    (backoff(retries_used), error_chain(&err))
                }
                Err(err) => return Err(self.transport_error(&err, attempt)),
            };
            tracing::warn!("attempt {attempt} failed, retrying in {wait:?}: {reason}");
            progress(Progress::Retrying {
                attempt: attempt + 1,
                wait,
                reason,
            });
            self.clock.sleep(wait).await;
            attempt += 1;
        }
    }

    /// Reads an error answer; `Ok(wait)` when it should be retried after `wait`.
    async fn on_error_answer(
        &self,
        mut response: Response,
        attempt: u32,
    ) -> Result<(std::time::Duration, String), ApiError> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let cap = Cap {
            bytes: ERROR_BODY_CAP,
            ..self.cap("error answer")
        };
        // The status already decides the error kind; an unreadable or oversized
        // body only costs the server's wording, which then reads "empty answer".
        let body = read_capped(&mut response, cap).await.unwrap_or_default();
        let answer = read_error_answer(status, &headers, &body, self.secret());
        let retries_used = attempt - 1;
        let decision = decide(
            status,
            &headers,
            answer.said.code.as_deref(),
            retries_used,
            self.clock.now(),
        );
        match decision {
            RetryDecision::Retry(wait) if retries_used < self.config.max_retries => {
                Ok((wait, format!("HTTP {status}: {}", answer.said.message)))
            }
            RetryDecision::WaitTooLong(wait) => Err(classify(answer, attempt, Some(wait))),
            _ => Err(classify(answer, attempt, None)),
        }
    }

    fn transport_error(&self, err: &reqwest::Error, attempts: u32) -> ApiError {
        if err.is_connect() {
            ApiError::Connect {
                host: self.config.host(),
                detail: error_chain(err),
                attempts,
            }
        } else if err.is_timeout() {
            ApiError::Timeout {
                after: self.config.request_timeout,
                sent: true,
            }
        } else {
            ApiError::ConnectionLost {
                detail: error_chain(err),
            }
        }
    }

    pub(super) fn cap(&self, what: &'static str) -> Cap {
        Cap {
            bytes: self.config.max_response_bytes,
            timeout: self.config.request_timeout,
            what,
        }
    }

    pub(super) fn secret(&self) -> Option<&str> {
        self.config.api_key.as_ref().map(|k| k.expose())
    }
}

/// The headers every API request carries. Only this client has them.
fn api_headers(config: &ClientConfig) -> Result<HeaderMap, ApiError> {
    let mut headers = HeaderMap::new();
    let invalid = |what: &str| ApiError::Protocol {
        detail: format!("the {what} holds characters not allowed in a header"),
        request_id: None,
    };
    if let Some(key) = &config.api_key {
        // An Azure key goes as `api-key`; OpenAI keys and Entra ID tokens
        // as a bearer, as the official SDKs send them.
        let azure_key = config.azure.as_ref().is_some_and(|azure| azure.key_header);
        let text = match azure_key {
            true => key.expose().to_string(),
            false => format!("Bearer {}", key.expose()),
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| invalid("API key"))?;
        value.set_sensitive(true);
        match azure_key {
            true => headers.insert("api-key", value),
            false => headers.insert(AUTHORIZATION, value),
        };
    }
    if let Some(org) = &config.organization {
        headers.insert(
            "OpenAI-Organization",
            HeaderValue::from_str(org).map_err(|_| invalid("organization"))?,
        );
    }
    if let Some(project) = &config.project {
        headers.insert(
            "OpenAI-Project",
            HeaderValue::from_str(project).map_err(|_| invalid("project"))?,
        );
    }
    Ok(headers)
}

/// The multipart body of an edit or variation. One image goes as `image`;
/// several go as repeated `image[]`, which is what the API expects (it
/// answers `duplicate_parameter` to repeated `image`).
fn form(request: &ImageRequest) -> Result<Form, ApiError> {
    let mut form = Form::new();
    for (name, value) in request.params.form_fields() {
        form = form.text(name, value);
    }
    let field = if request.images.len() == 1 {
        "image"
    } else {
        "image[]"
    };
    for image in &request.images {
        form = form.part(field, file_part(image)?);
    }
    if let Some(mask) = &request.mask {
        form = form.part("mask", file_part(mask)?);
    }
    if let Some(markup) = &request.markup {
        form = form.part("markup", file_part(markup)?);
    }
    Ok(form)
}

fn file_part(image: &InputImage) -> Result<Part, ApiError> {
    Part::stream_with_length(image.bytes.clone(), image.bytes.len() as u64)
        .file_name(header_safe_file_name(&image.file_name))
        .mime_str(image.info.format.mime())
        .map_err(|e| ApiError::Protocol {
            detail: error_chain(&e),
            request_id: None,
        })
}

/// A file name as it may stand in a multipart header: a name holding a
/// line break or a quote would end the header early and add fields of its
/// own, so every such character becomes `_`.
pub fn header_safe_file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if safe.is_empty() {
        "image".to_string()
    } else {
        safe
    }
}

fn is_event_stream(response: &Response) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"))
}
