//! Azure OpenAI through the real binary against the fake server in Azure
//! mode: the deployments surface (deployment in the path, `api-version`
//! in the query, the key as `api-key` or a token as a bearer) and the
//! `/openai/v1` surface, for a generation and an edit.

use crate::common;

use artty::fake::{FakeOptions, FakeServer, RecordedRequest};
use common::home::{Home, json_lines, text};

const VERSION: &str = "2025-04-01-preview";
const AZURE_KEY: &str = "azure-key-0123456789abcdef";

async fn azure_server() -> FakeServer {
    FakeServer::start(FakeOptions {
        accepted_key: Some(AZURE_KEY.into()),
        azure: Some(VERSION.into()),
        ..FakeOptions::default()
    })
    .await
    .unwrap()
}

fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbaImage::from_pixel(64, 64, image::Rgba([10, 120, 200, 255]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// Runs artty as `AzureOpenAI` is configured: endpoint, credential and
/// version from the environment.
async fn run(
    home: &Home,
    server: &FakeServer,
    env: &[(&str, &str)],
    args: &[&str],
) -> std::process::Output {
    let mut command = home.artty(args);
    command.env("AZURE_OPENAI_ENDPOINT", server.endpoint());
    command.envs(env.iter().copied());
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn last(server: &FakeServer) -> RecordedRequest {
    server
        .requests()
        .pop()
        .expect("a request reached the server")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generation_and_an_edit_reach_their_deployment_with_api_key_and_version() {
    let server = azure_server().await;
    let home = Home::new();
    let env = [
        ("AZURE_OPENAI_API_KEY", AZURE_KEY),
        ("OPENAI_API_VERSION", VERSION),
    ];
    let made = run(
        &home,
        &server,
        &env,
        &[
            "--azure",
            "--json",
            "generate",
            "-m",
            "gpt-image-2",
            "a fox",
        ],
    )
    .await;
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert_eq!(json_lines(&made).len(), 1);
    let sent = last(&server);
    assert_eq!(
        sent.header("x-fake-azure-path"),
        Some(
            format!("/openai/deployments/gpt-image-2/images/generations?api-version={VERSION}")
                .as_str()
        )
    );
    assert_eq!(sent.header("x-fake-azure-auth"), Some("api-key"));
    assert_eq!(sent.header("api-key"), Some(AZURE_KEY));

    let source = home.root.path().join("in.png");
    std::fs::write(&source, png()).unwrap();
    let edited = run(
        &home,
        &server,
        &env,
        &[
            "--azure",
            "--deployment",
            "images-prod",
            "edit",
            "make it blue",
            "-m",
            "gpt-image-2",
            "--image",
            source.to_str().unwrap(),
        ],
    )
    .await;
    assert!(edited.status.success(), "{}", text(&edited.stderr));
    let sent = last(&server);
    assert_eq!(sent.header("x-fake-azure-deployment"), Some("images-prod"));
    assert!(
        sent.header("x-fake-azure-path")
            .unwrap()
            .starts_with("/openai/deployments/images-prod/images/edits?api-version="),
        "{:?}",
        sent.header("x-fake-azure-path")
    );
    assert_eq!(sent.header("api-key"), Some(AZURE_KEY));
    // The key went nowhere else: not as a bearer from artty, not in a sidecar.
    for entry in std::fs::read_dir(home.gallery()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!text(&bytes).contains(AZURE_KEY));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_entra_token_goes_as_a_bearer_and_no_version_means_the_v1_surface() {
    let server = azure_server().await;
    let home = Home::new();
    let token = [
        ("AZURE_OPENAI_AD_TOKEN", AZURE_KEY),
        ("OPENAI_API_VERSION", VERSION),
    ];
    let made = run(&home, &server, &token, &["--azure", "generate", "a fox"]).await;
    assert!(made.status.success(), "{}", text(&made.stderr));
    let sent = last(&server);
    assert_eq!(sent.header("x-fake-azure-auth"), Some("bearer"));
    assert!(sent.header("api-key").is_none());

    let v1 = [("AZURE_OPENAI_API_KEY", AZURE_KEY)];
    let made = run(&home, &server, &v1, &["--azure", "generate", "a fox"]).await;
    assert!(made.status.success(), "{}", text(&made.stderr));
    let sent = last(&server);
    assert_eq!(
        sent.header("x-fake-azure-path"),
        Some("/openai/v1/images/generations?")
    );
    assert_eq!(sent.header("x-fake-azure-auth"), Some("bearer"));
}

#[tokio::test(flavor = "multi_thread")]
async fn azure_without_a_key_or_with_a_wrong_version_says_what_to_set() {
    let server = azure_server().await;
    let home = Home::new();
    // A key saved for OpenAI is not sent to Azure.
    let no_key = run(
        &home,
        &server,
        &[("OPENAI_API_KEY", "sk-openai-000000000000")],
        &["--azure", "generate", "x"],
    )
    .await;
    assert_eq!(no_key.status.code(), Some(2), "{}", text(&no_key.stderr));
    assert!(
        text(&no_key.stderr).contains("AZURE_OPENAI_API_KEY"),
        "{}",
        text(&no_key.stderr)
    );
    assert!(server.requests().is_empty());

    let wrong = [
        ("AZURE_OPENAI_API_KEY", AZURE_KEY),
        ("OPENAI_API_VERSION", "1999-01-01"),
    ];
    let refused = run(
        &home,
        &server,
        &wrong,
        &["--azure", "--retries", "0", "generate", "x"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(3), "{}", text(&refused.stderr));

    let nowhere = home.artty(&["--azure", "generate", "x"]).output().unwrap();
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(
        text(&nowhere.stderr).contains("AZURE_OPENAI_ENDPOINT"),
        "{}",
        text(&nowhere.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn azure_from_config_toml_goes_to_the_configured_deployment() {
    let server = azure_server().await;
    let home = Home::new();
    std::fs::create_dir_all(home.config()).unwrap();
    std::fs::write(
        home.config().join("config.toml"),
        format!(
            "azure = true\nazure_endpoint = \"{}\"\napi_version = \"{VERSION}\"\n\n[azure_deployments]\n\"gpt-image-2\" = \"images-eu\"\n",
            server.endpoint()
        ),
    )
    .unwrap();
    // Without a credential the advice is Azure's, not OpenAI's.
    let mut bare = home.artty(&["generate", "-m", "gpt-image-2", "x"]);
    bare.env("OPENAI_API_KEY", "sk-openai-000000000000");
    let bare = bare.output().unwrap();
    assert_eq!(bare.status.code(), Some(2));
    assert!(
        text(&bare.stderr).contains("AZURE_OPENAI_API_KEY"),
        "{}",
        text(&bare.stderr)
    );
    let mut made = home.artty(&["generate", "-m", "gpt-image-2", "x"]);
    made.env("AZURE_OPENAI_API_KEY", AZURE_KEY);
    let made = tokio::task::spawn_blocking(move || made.output().unwrap())
        .await
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert_eq!(
        last(&server).header("x-fake-azure-deployment"),
        Some("images-eu")
    );
}
