//! The fake server's accept loop. It serves each connection itself (rather
//! than through `axum::serve`) so that a handler can drop its own connection
//! before any header is sent, which is how a reset is injected.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// Put into every request: notify it to drop the connection at once.
#[derive(Clone)]
pub struct DropConnection(pub Arc<Notify>);

/// How many connections are open right now, so tests can see a client hang up.
#[derive(Clone, Default)]
pub struct OpenConnections(Arc<AtomicUsize>);

impl OpenConnections {
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Counts one open connection for as long as it lives.
struct Open(OpenConnections);

impl Open {
    fn new(open: &OpenConnections) -> Open {
        open.0.fetch_add(1, Ordering::SeqCst);
        Open(open.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `router` on `listener` until the task is aborted; connections end with it.
/// With `azure` (an api-version), requests arrive in Azure's URL scheme
/// and are translated before routing (`super::azure`).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    open: OpenConnections,
    azure: Option<Arc<str>>,
) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let counted = Open::new(&open);
        let azure = azure.clone();
        connections.spawn(async move {
            serve_connection(stream, router, azure).await;
            drop(counted);
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, router: Router, azure: Option<Arc<str>>) {
    let kill = Arc::new(Notify::new());
    let handle = DropConnection(kill.clone());
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(handle.clone());
            let refused = azure
                .as_deref()
                .and_then(|version| super::azure::translate(version, &mut request).err());
            let router = router.clone();
            async move {
                match refused {
                    Some(response) => Ok(response),
                    None => router.oneshot(request).await,
                }
            }
        });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = kill.notified() => {}
    }
}
