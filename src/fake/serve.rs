//! The fake server's accept loop. It serves each connection itself (rather
//! than through `axum::serve`) so that a handler can drop its own connection
//! before any header is sent, which is how a reset is injected.

use std::sync::Arc;

use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// Put into every request: notify it to drop the connection at once.
#[derive(Clone)]
pub struct DropConnection(pub Arc<Notify>);

/// Serves `router` on `listener` until the task is aborted; connections end with it.
pub async fn serve(listener: TcpListener, router: Router) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        connections.spawn(serve_connection(stream, router));
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, router: Router) {
    let kill = Arc::new(Notify::new());
    let handle = DropConnection(kill.clone());
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(handle.clone());
            router.clone().oneshot(request)
        });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = kill.notified() => {}
    }
}
