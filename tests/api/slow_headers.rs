//! Reliability case 24: image requests are slow. Headers that come after
//! 90 seconds must still succeed with the default timeouts: it guards
//! against any shorter read or header timeout creeping into the client.
//! The clock is tokio's, paused: the server's 91 s wait and every timeout
//! of the client run on it, so the test takes no real time, and a timeout
//! shorter than the wait would still fire first.

use crate::common;

use std::time::Duration;

use artty::api::ClientConfig;
use artty::fake::Fault;
use common::*;

#[tokio::test(start_paused = true)]
async fn case24_headers_after_90_seconds_still_succeed() {
    let started = tokio::time::Instant::now();
    let server = fake().await;
    server.push_fault(Fault::Delay(Duration::from_secs(91)));
    let mut config = ClientConfig::new(server.base_url().parse().unwrap());
    config.api_key = artty::api::ApiKey::new(KEY);
    let (client, _) = client_with(config);
    let generation = create(&client, &small("patience")).await.0.unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(server.requests().len(), 1);
    assert!(
        started.elapsed() >= Duration::from_secs(91),
        "the answer came after the server's wait"
    );
}
