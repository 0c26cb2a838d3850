//! An HTTP client built the first time it is needed. Building one loads
//! the system's CA roots (the bundle and then every file in
//! `/etc/ssl/certs`: about two thirds of what the app did before its first
//! frame), so a start that sends nothing (the demo, browsing the gallery)
//! never pays for it and the first frame does not wait for it. Clones
//! share the one client.

use std::sync::{Arc, OnceLock};

use reqwest::Client;

use super::body::error_chain;

type Build = dyn Fn() -> reqwest::Result<Client> + Send + Sync;

#[derive(Clone)]
pub struct LazyClient {
    built: Arc<OnceLock<Result<Client, String>>>,
    build: Arc<Build>,
}

impl LazyClient {
    pub fn new(build: impl Fn() -> reqwest::Result<Client> + Send + Sync + 'static) -> LazyClient {
        LazyClient {
            built: Arc::default(),
            build: Arc::new(build),
        }
    }

    /// The client, built now if it was not yet; why it cannot be built
    /// (no CA roots on the system, a TLS backend that failed) otherwise.
    pub fn get(&self) -> Result<&Client, &str> {
        self.built
            .get_or_init(|| (self.build)().map_err(|e| error_chain(&e)))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Builds the client ahead of the first request. Blocks for as long
    /// as building takes: call it off the UI thread.
    pub fn warm(&self) {
        let _ = self.get();
    }

    pub fn is_built(&self) -> bool {
        self.built.get().is_some()
    }
}

impl std::fmt::Debug for LazyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyClient")
            .field("built", &self.is_built())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn built_once_on_first_use_and_shared_by_clones() {
        let builds = Arc::new(AtomicUsize::new(0));
        let counted = builds.clone();
        let lazy = LazyClient::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Client::builder().build()
        });
        let copy = lazy.clone();
        assert_eq!(builds.load(Ordering::SeqCst), 0, "nothing built up front");
        assert!(!copy.is_built());
        lazy.get().unwrap();
        copy.get().unwrap();
        copy.warm();
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert!(copy.is_built());
    }
}
