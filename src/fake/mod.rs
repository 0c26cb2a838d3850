//! An OpenAI-compatible images server on loopback: real HTTP, real images,
//! and faults on demand. Tests drive every failure path with it, `--demo`
//! runs the app against it, and `artty mock-server` serves it to other tools.
//!
//! Result URLs are served from a second listener on another port, so tests
//! can show that no credential ever reaches the host that serves them.

pub mod answer;
pub mod azure;
pub mod batch_answer;
pub mod batch_routes;
pub mod batch_run;
pub mod batch_store;
pub mod faults;
pub mod form;
pub mod routes;
pub mod serve;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use batch_store::BatchPlan;
pub use faults::Fault;
use state::FakeState;
pub use state::{FakeOptions, RecordedFile, RecordedRequest};

/// A running fake server; it stops when dropped.
pub struct FakeServer {
    api_addr: SocketAddr,
    files_addr: SocketAddr,
    state: Arc<FakeState>,
    open: serve::OpenConnections,
    tasks: Vec<JoinHandle<()>>,
}

impl FakeServer {
    /// Starts on two free loopback ports.
    pub async fn start(options: FakeOptions) -> std::io::Result<FakeServer> {
        FakeServer::start_on(options, 0, 0).await
    }

    /// Starts on the given loopback ports (0 picks a free one).
    pub async fn start_on(
        options: FakeOptions,
        api_port: u16,
        files_port: u16,
    ) -> std::io::Result<FakeServer> {
        let api = TcpListener::bind(("127.0.0.1", api_port)).await?;
        let files = TcpListener::bind(("127.0.0.1", files_port)).await?;
        let (api_addr, files_addr) = (api.local_addr()?, files.local_addr()?);
        let azure: Option<Arc<str>> = options.azure.as_deref().map(Arc::from);
        let state = Arc::new(FakeState::new(options, format!("http://{files_addr}"))?);
        let open = serve::OpenConnections::default();
        let tasks = vec![
            tokio::spawn(serve::serve(
                api,
                routes::api_router(state.clone())
                    .merge(batch_routes::router().with_state(state.clone())),
                open.clone(),
                azure,
            )),
            tokio::spawn(serve::serve(
                files,
                routes::files_router(state.clone()),
                open.clone(),
                None,
            )),
        ];
        Ok(FakeServer {
            api_addr,
            files_addr,
            state,
            open,
            tasks,
        })
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.api_addr)
    }

    /// The resource's endpoint in Azure mode: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.api_addr)
    }

    pub fn api_addr(&self) -> SocketAddr {
        self.api_addr
    }

    pub fn files_addr(&self) -> SocketAddr {
        self.files_addr
    }

    /// Queues a fault for the next request to the API listener.
    pub fn push_fault(&self, fault: Fault) {
        self.state.push_fault(fault);
    }

    /// Queues a fault for the next request whose prompt is `prompt`.
    pub fn push_fault_for(&self, prompt: &str, fault: Fault) {
        self.state.push_fault_for(prompt, fault);
    }

    /// Queues a fault for the next download of an image made for `prompt`.
    pub fn push_download_fault_for(&self, prompt: &str, fault: Fault) {
        self.state.push_download_fault_for(prompt, fault);
    }

    /// Queues a fault for the next request to the files listener.
    pub fn push_download_fault(&self, fault: Fault) {
        self.state.push_download_fault(fault);
    }

    /// Every request the API listener received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// Connections open on either listener right now.
    pub fn open_connections(&self) -> usize {
        self.open.count()
    }

    /// Moves the clock batches run on forward by `seconds`.
    pub fn advance_batch_clock(&self, seconds: i64) {
        self.state.batches.advance(seconds);
    }

    /// Sets how the next batch created will end (expire, fail, heavy answers).
    pub fn plan_next_batch(&self, plan: BatchPlan) {
        self.state.plan_next_batch(plan);
    }

    /// Every request the files listener received, in order.
    pub fn downloads(&self) -> Vec<RecordedRequest> {
        self.state.downloads()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
