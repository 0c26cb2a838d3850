//! Reliability cases 38-39: result URLs, redirects and expired links.

use crate::common;

use artty::api::ApiError;
use artty::api::error::DownloadFailure;
use artty::fake::Fault;
use common::*;

#[tokio::test]
async fn case38_no_credential_reaches_download_hosts_even_across_redirects() {
    let server = fake().await;
    let port = server.files_addr().port();
    server.push_download_fault(Fault::Redirect {
        host: format!("localhost:{port}"),
    });
    let (client, _) = client_for(&server);
    create(&client, &generate("dall-e-3", "a harbour"))
        .await
        .0
        .unwrap();
    let downloads = server.downloads();
    assert_eq!(downloads.len(), 2, "one redirect, then the file");
    assert_eq!(
        downloads[1].header("host"),
        Some(format!("localhost:{port}").as_str())
    );
    for download in &downloads {
        assert!(!download.carried_credentials(), "{:?}", download.headers);
        // Case 52: nor the signed link itself, as a Referer.
        assert_eq!(download.header("referer"), None, "{:?}", download.headers);
    }
}

#[tokio::test]
async fn case38_redirect_loops_are_refused() {
    let server = fake().await;
    let port = server.files_addr().port();
    for _ in 0..3 {
        server.push_download_fault(Fault::Redirect {
            host: format!("127.0.0.1:{port}"),
        });
    }
    let (client, _) = client_for(&server);
    let err = create(&client, &generate("dall-e-2", "loop"))
        .await
        .0
        .unwrap_err();
    assert!(
        matches!(&err, ApiError::Download { failure: DownloadFailure::Refused(why), .. } if why.contains("loop")),
        "{err:?}"
    );
}

#[tokio::test]
async fn case39_expired_links_say_so_without_the_signature() {
    let server = fake().await;
    let xml = "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>Signed expiry time has passed</Message></Error>";
    server.push_download_fault(Fault::raw(403, "application/xml", xml));
    server.push_download_fault(Fault::raw(
        200,
        "text/html",
        "<html><body>Sign in</body></html>",
    ));
    let (client, _) = client_for(&server);
    for _ in 0..2 {
        let err = create(&client, &generate("dall-e-2", "old link"))
            .await
            .0
            .unwrap_err();
        assert!(
            matches!(
                err,
                ApiError::Download {
                    failure: DownloadFailure::Expired,
                    ..
                }
            ),
            "{err:?}"
        );
        let text = format!("{err} {err:?}");
        assert!(text.contains("expired or is invalid"), "{text}");
        assert!(
            !text.contains("sig=") && !text.contains("FAKE-SIGNATURE"),
            "{text}"
        );
    }
}
