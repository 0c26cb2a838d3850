//! Contract tests: Stoplight Prism serves OpenAI's images spec
//! (tests/fixtures/openai-images.openapi.yaml) and answers 422 to any request
//! that breaks it. Every request shape the CLI can produce for every model
//! and parameter the model table allows is sent through the real binary and
//! must be accepted. Prism answers an accepted request with a placeholder
//! whose `b64_json` is the word "string", which artty rightly rejects as not
//! an image: `bad_image` therefore means "the server accepted the request".
//!
//! Prism comes from `npm ci --prefix tests/contract` (scripts/test does it).

use crate::common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use artty::api::{Catalog, Endpoint, ModelSpec};
use artty::images::probe::ImageFormat;

const KEY: &str = "sk-contract-test-000000000000";

struct Prism {
    child: Child,
    base_url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prism on a free port, or `None` (the test skipped, see
/// `common::tools`) when it is not installed.
fn start_prism() -> Option<Prism> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prism = root.join("tests/contract/node_modules/.bin/prism");
    if !common::tools::tool("node")
        || !common::tools::installed(&prism, "npm ci --prefix tests/contract")
    {
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let spec = root.join("tests/fixtures/openai-images.openapi.yaml");
    let child = Command::new(prism)
        .args([
            "mock",
            "--errors",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .arg(spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "Prism did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Some(Prism {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
    })
}

struct Case {
    args: Vec<String>,
    label: String,
}

fn case(label: String, args: Vec<String>) -> Case {
    Case { args, label }
}

/// Runs the CLI; returns (exit code, the `error` object of its JSON output).
fn run(base_url: &str, data: &Path, args: &[String]) -> (Option<i32>, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_artty"))
        .args(["--base-url", base_url, "--json", "--retries", "0"])
        .args(args)
        .env("OPENAI_API_KEY", KEY)
        .env("ARTTY_CONFIG_DIR", data.join("config"))
        .env("ARTTY_DATA_DIR", data)
        .env("ARTTY_CACHE_DIR", data.join("cache"))
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let error = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| v.get("error").cloned())
        .unwrap_or_default();
    (output.status.code(), error)
}

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

/// Values of today's API that the August 2026 spec does not list yet:
/// Prism must refuse exactly these, naming the parameter; the official
/// SDK's differential test (tests/api/contract_sdk.rs) holds them instead.
/// complexity, GIF frames, SVG options and markup are not in the spec
/// either, so they are not sent to Prism at all.
const NEWER_THAN_THE_SPEC: &[(&str, &str, &str)] = &[
    ("--quality", "xhigh", "quality"),
    ("--quality", "max", "quality"),
    ("--format", "gif", "output_format"),
    ("--format", "svg", "output_format"),
];

fn newer_than_the_spec(label: &str) -> Option<&'static str> {
    NEWER_THAN_THE_SPEC
        .iter()
        .find(|(flag, value, _)| label.ends_with(&format!("{flag} {value}")))
        .map(|(_, _, param)| *param)
}

/// One case per allowed value of each parameter, plus one with everything set.
fn allowed_cases(spec: &ModelSpec, endpoint: Endpoint, inputs: &Inputs) -> Vec<Case> {
    let name = &spec.name;
    let base: Vec<String> = match endpoint {
        Endpoint::Generations => s(&["generate", "-m", name, "a lighthouse"]),
        Endpoint::Edits => s(&["edit", "-m", name, "add a moon", "--image", &inputs.square]),
        Endpoint::Variations => s(&["vary", "-m", name, "--image", &inputs.square]),
    };
    let mut cases = vec![case(format!("{name} {endpoint:?} bare"), base.clone())];
    let mut with = |flag: &str, values: &[String]| {
        for value in values {
            let mut args = base.clone();
            args.extend([flag.to_string(), value.clone()]);
            cases.push(case(format!("{name} {endpoint:?} {flag} {value}"), args));
        }
    };
    let mut sizes = spec.sizes.clone();
    if spec.size_rule.is_some() {
        sizes.extend(s(&["1536x864", "1008x3024", "3840x2160"]));
    }
    with("--size", &sizes);
    with("--quality", &spec.qualities);
    with("--response-format", &spec.response_formats);
    with("-n", &[1, spec.n_max].map(|n| n.to_string()));
    if endpoint == Endpoint::Generations {
        with("--style", &spec.styles);
        with("--moderation", &spec.moderation);
    }
    if endpoint != Endpoint::Variations {
        with("--background", &spec.backgrounds);
        with("--format", &spec.output_formats);
    }
    if endpoint == Endpoint::Edits {
        with("--fidelity", &spec.input_fidelity);
        with("--mask", std::slice::from_ref(&inputs.mask));
    }
    if spec.output_compression && endpoint != Endpoint::Variations {
        for format in ["jpeg", "webp"] {
            cases.push(case(
                format!("{name} compression {format}"),
                [base.clone(), s(&["--format", format, "--compression", "0"])].concat(),
            ));
        }
    }
    if let (Some(max), true) = (spec.partial_images_max, endpoint != Endpoint::Variations) {
        for partials in 0..=max {
            let extra = s(&["--stream", "--partial-images", &partials.to_string()]);
            cases.push(case(
                format!("{name} {endpoint:?} stream {partials}"),
                [base.clone(), extra].concat(),
            ));
        }
    }
    cases
}

struct Inputs {
    square: String,
    second: String,
    mask: String,
}

fn write_inputs(dir: &Path) -> Inputs {
    let write = |name: &str, bytes: bytes::Bytes| {
        let path: PathBuf = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    };
    Inputs {
        square: write(
            "square.png",
            common::image_bytes(64, 64, ImageFormat::Png, true),
        ),
        second: write(
            "second.jpg",
            common::image_bytes(48, 32, ImageFormat::Jpeg, false),
        ),
        mask: write(
            "mask.png",
            common::image_bytes(64, 64, ImageFormat::Png, true),
        ),
    }
}

/// Runs cases four at a time.
fn run_all(
    cases: &[Case],
    base_url: &str,
    data: &Path,
) -> Vec<(String, Option<i32>, serde_json::Value)> {
    let next = AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let (code, error) = run(base_url, data, &case.args);
                    results
                        .lock()
                        .unwrap()
                        .push((case.label.clone(), code, error));
                }
            });
        }
    });
    results.into_inner().unwrap()
}

#[test]
fn every_request_shape_the_table_allows_is_accepted_by_the_spec() {
    let Some(prism) = start_prism() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let inputs = write_inputs(dir.path());
    let catalog = Catalog::builtin();
    let cases: Vec<Case> = catalog
        .models()
        .iter()
        .flat_map(|spec| {
            spec.endpoints
                .iter()
                .flat_map(|e| allowed_cases(spec, *e, &inputs))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(cases.len() > 150, "the matrix shrank to {}", cases.len());
    // Prism serves the spec's paths at its root, without /v1.
    let results = run_all(&cases, &prism.base_url, dir.path());
    let accepted = |code: &Option<i32>, error: &serde_json::Value| {
        *code == Some(3) && error["kind"] == "bad_image"
    };
    let newer = results
        .iter()
        .filter(|(label, _, _)| newer_than_the_spec(label).is_some())
        .count();
    assert!(
        newer >= 8,
        "only {newer} cases of values newer than the spec"
    );
    let refused: Vec<String> = results
        .iter()
        .filter(|(label, code, error)| match newer_than_the_spec(label) {
            // Refused by the spec for that parameter alone.
            Some(param) => {
                !(error["status"] == 422
                    && error["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("property {param} must be equal to"))))
            }
            None => !accepted(code, error),
        })
        .map(|(label, code, error)| format!("{label}: exit {code:?} {error}"))
        .collect();
    assert!(
        refused.is_empty(),
        "{} of {} shapes were not accepted:\n{}",
        refused.len(),
        results.len(),
        refused.join("\n")
    );
    assert!(
        std::fs::read_dir(dir.path().join("gallery"))
            .map(|d| d.count())
            .unwrap_or(0)
            == 0,
        "placeholder answers must never be saved"
    );
}

/// Several images go as `image[]`, as OpenAI's API requires (it answers
/// `duplicate_parameter` to repeated `image`). The spec only describes
/// `image`, so Prism's one complaint must be exactly that field, and nothing
/// else about the request.
#[test]
fn multi_image_edits_differ_from_the_spec_only_in_the_image_array_name() {
    let Some(prism) = start_prism() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let inputs = write_inputs(dir.path());
    // gpt-image-2 takes no input_fidelity (the SDK says to omit it).
    for model in ["gpt-image-1.5", "gpt-image-1"] {
        let args = s(&[
            "edit",
            "-m",
            model,
            "the bottle of image 1 on the table of image 2",
            "--image",
            &inputs.square,
            "--image",
            &inputs.second,
            "--mask",
            &inputs.mask,
            "--fidelity",
            "high",
            "--quality",
            "high",
            "--format",
            "webp",
            "--compression",
            "80",
            "--background",
            "transparent",
            "-n",
            "2",
            "--stream",
            "--partial-images",
            "2",
        ]);
        let (code, error) = run(&prism.base_url, dir.path(), &args);
        assert_eq!(code, Some(3), "{error}");
        assert_eq!(error["status"], 422, "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("Request body must have required property 'image'"),
            "{message}"
        );
        assert_eq!(
            message.matches("Request body").count(),
            1,
            "other complaints: {message}"
        );
    }
}

#[test]
fn combinations_the_table_forbids_exit_2_and_reach_no_server() {
    let (base_url, connections) = common::counting_listener();
    let dir = tempfile::tempdir().unwrap();
    let inputs = write_inputs(dir.path());
    let mut cases = Vec::new();
    for spec in Catalog::builtin().models() {
        let name = spec.name.as_str();
        let generate_with = |extra: &[&str]| [s(&["generate", "-m", name, "x"]), s(extra)].concat();
        let mut add =
            |label: &str, args: Vec<String>| cases.push(case(format!("{name} {label}"), args));
        add(
            "n over max",
            generate_with(&["-n", &(spec.n_max + 1).to_string()]),
        );
        add("unlisted size", generate_with(&["-s", "1000x1000"]));
        if !spec.qualities.iter().any(|q| q == "xhigh") {
            add("quality xhigh", generate_with(&["--quality", "xhigh"]));
        }
        add(
            "prompt too long",
            [
                s(&["generate", "-m", name]),
                vec!["y".repeat(spec.prompt_max + 1)],
            ]
            .concat(),
        );
        add(
            "partials without stream",
            generate_with(&["--partial-images", "1"]),
        );
        let absent: [(&str, &str, &Vec<String>); 5] = [
            ("--style", "vivid", &spec.styles),
            ("--response-format", "b64_json", &spec.response_formats),
            ("--background", "opaque", &spec.backgrounds),
            ("--format", "png", &spec.output_formats),
            ("--moderation", "low", &spec.moderation),
        ];
        for (flag, value, allowed) in absent {
            if allowed.is_empty() {
                add(flag, generate_with(&[flag, value]));
            }
        }
        if !spec.serves(Endpoint::Variations) {
            add(
                "variation",
                s(&["vary", "-m", name, "--image", &inputs.square]),
            );
        }
        if !spec.serves(Endpoint::Edits) {
            add(
                "edit",
                s(&["edit", "-m", name, "x", "--image", &inputs.square]),
            );
        }
    }
    let results = run_all(&cases, &base_url, dir.path());
    let wrong: Vec<String> = results
        .iter()
        .filter(|(_, code, _)| *code != Some(2))
        .map(|(label, code, error)| format!("{label}: exit {code:?} {error}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(results.len() > 40, "only {} forbidden cases", results.len());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a refused request reached the network"
    );
}

/// What the edit panel prepares is a request the spec accepts: a
/// non-square JPEG padded square and converted to PNG for dall-e-2, and a
/// photo kept as it is for gpt-image-2, each with a painted, feathered
/// mask exported at the image's size.
#[test]
fn inputs_fitted_by_the_edit_panel_are_accepted_by_the_spec() {
    use artty::api::{ImageParams, ImageRequest, ImagesClient, Target, validate};
    use artty::edit::{FitOptions, MaskGrid, MaskInput, prepare};
    let Some(prism) = start_prism() else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let catalog = Catalog::builtin();
    let mut grid = MaskGrid::new(8, 8);
    grid.rect((2, 2), (5, 5), true);
    let photo = common::image_bytes(96, 64, ImageFormat::Jpeg, false);
    for (model, size) in [("dall-e-2", "256x256"), ("gpt-image-2", "1024x1024")] {
        let rules = catalog.get(model).unwrap().edit.clone().unwrap();
        let prepared = prepare(
            vec![("photo.jpg".into(), photo.clone())],
            Some(MaskInput::Painted {
                grid: grid.clone(),
                feather: 4,
            }),
            &rules,
            FitOptions::default(),
        )
        .unwrap();
        assert!(prepared.mask_matches());
        let params = ImageParams {
            prompt: Some("add a moon".into()),
            size: Some(size.into()),
            ..ImageParams::new(model)
        };
        let images = prepared.images.iter().map(|f| f.image.clone()).collect();
        let mask = prepared.mask.map(|m| m.sent);
        let target = Target {
            today: jiff::civil::date(2026, 11, 21),
            is_openai: false,
        };
        let valid = validate(ImageRequest::edit(params, images, mask), &catalog, &target)
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        let mut config = common::config(&prism.base_url);
        config.api_key = artty::api::ApiKey::new(KEY);
        config.max_retries = 0;
        let client = ImagesClient::new(config).unwrap();
        let result = runtime.block_on(client.create(&valid, &mut |_| {}));
        if let Err(err) = result {
            let status = err.server_said().map(|s| s.status);
            assert_ne!(status, Some(422), "{model}: the spec refused it: {err}");
        }
    }
}
