//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use artty::api::retry::Clock;
use artty::api::{
    ApiError, ApiKey, Catalog, ClientConfig, Generation, ImageParams, ImageRequest, ImagesClient,
    InputImage, Progress, Target, ValidRequest, validate,
};
use artty::fake::{FakeOptions, FakeServer};
use artty::images::probe::ImageFormat;
use artty::images::synthetic::Synthetic;
use bytes::Bytes;

pub mod home;
pub mod tools;

pub const KEY: &str = "sk-test-0123456789abcdefWXYZ";

/// A clock that records the waits it is asked for and returns at once.
#[derive(Default)]
pub struct RecordingClock {
    waits: Mutex<Vec<Duration>>,
}

impl RecordingClock {
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Clock for RecordingClock {
    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

pub async fn fake() -> FakeServer {
    FakeServer::start(FakeOptions::default()).await.unwrap()
}

/// Settings for tests: short timeouts, the test key, organization and project set.
pub fn config(base_url: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base_url.parse().unwrap());
    config.api_key = ApiKey::new(KEY);
    config.organization = Some("org-test".into());
    config.project = Some("proj-test".into());
    config.request_timeout = Duration::from_secs(30);
    config.download_timeout = Duration::from_secs(10);
    config
}

pub fn client_with(config: ClientConfig) -> (ImagesClient, Arc<RecordingClock>) {
    let clock = Arc::new(RecordingClock::default());
    (
        ImagesClient::new(config).unwrap().with_clock(clock.clone()),
        clock,
    )
}

pub fn client_for(server: &FakeServer) -> (ImagesClient, Arc<RecordingClock>) {
    client_with(config(&server.base_url()))
}

/// Validates against the built-in table for a compatible server.
pub fn valid(request: ImageRequest) -> ValidRequest {
    let target = Target {
        today: jiff::civil::date(2026, 11, 21),
        is_openai: false,
    };
    validate(request, &Catalog::builtin(), &target).unwrap()
}

pub fn params(model: &str, prompt: &str) -> ImageParams {
    ImageParams {
        prompt: Some(prompt.into()),
        ..ImageParams::new(model)
    }
}

pub fn generate(model: &str, prompt: &str) -> ValidRequest {
    valid(ImageRequest::generate(params(model, prompt)))
}

/// A small generation request (64x64 is not in any model's list, so use an unknown model name).
pub fn small(prompt: &str) -> ValidRequest {
    let mut p = params("fake-small", prompt);
    p.size = Some("64x64".into());
    valid(ImageRequest::generate(p))
}

pub async fn create(
    client: &ImagesClient,
    request: &ValidRequest,
) -> (Result<Generation, ApiError>, Vec<Progress>) {
    let mut seen = Vec::new();
    let result = client.create(request, &mut |p| seen.push(p)).await;
    (result, seen)
}

pub fn image_bytes(width: u32, height: u32, format: ImageFormat, transparent: bool) -> Bytes {
    let picture = Synthetic {
        width,
        height,
        seed: u64::from(width * 31 + height),
        transparent,
        coarseness: 1,
    };
    Bytes::from(picture.encode(format))
}

pub fn input(name: &str, width: u32, height: u32, format: ImageFormat) -> InputImage {
    InputImage::from_bytes(name, image_bytes(width, height, format, true)).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A loopback listener that only counts connections: proof that nothing was
/// sent. Returns its base URL and the count.
pub fn counting_listener() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, count)
}

/// Waits until the server has no open connection, failing after `limit`:
/// proof that a cancelled request hung up instead of lingering.
pub async fn wait_until_closed(server: &FakeServer, limit: Duration) {
    let started = std::time::Instant::now();
    while server.open_connections() > 0 {
        assert!(
            started.elapsed() < limit,
            "{} connection(s) still open after {limit:?}",
            server.open_connections()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The effect runner's settings for a test home folder and server.
pub fn runner_setup(
    base_url: &str,
    home: &std::path::Path,
    slots: usize,
) -> artty::effect::runner::RunnerSetup {
    let dirs = artty::store::Dirs {
        config: home.join("config"),
        data: home.join("data"),
        cache: home.join("cache"),
    };
    artty::effect::runner::RunnerSetup {
        config: config(base_url),
        gallery_dir: dirs.gallery(),
        dirs,
        catalog: Catalog::builtin(),
        slots,
        run_tag: "20261121-120000-1".into(),
        demo: false,
    }
}
