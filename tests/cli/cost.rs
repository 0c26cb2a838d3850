//! `artty cost` against the gallery it reports on: its totals are the
//! sums of the costs the sidecars recorded.

use crate::common;

use artty::fake::{FakeOptions, FakeServer};
use common::home::{Home, json_lines, text};

#[tokio::test(flavor = "multi_thread")]
async fn cost_json_totals_match_the_sidecars() {
    let server = FakeServer::start(FakeOptions::default()).await.unwrap();
    let url = server.base_url();
    let home = Home::new();
    for args in [
        &["generate", "-m", "gpt-image-2", "-n", "2", "a fox"][..],
        &[
            "generate",
            "-m",
            "gpt-image-2.6-flare",
            "--quality",
            "high",
            "an owl",
        ][..],
    ] {
        let mut command = home.artty(&[&["--base-url", url.as_str()][..], args].concat());
        command.env("OPENAI_API_KEY", common::KEY);
        let made = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        assert!(made.status.success(), "{}", text(&made.stderr));
    }
    let mut recorded = 0.0;
    let mut images = 0;
    for entry in std::fs::read_dir(home.gallery()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let sidecar: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            recorded += sidecar["cost"]["usd"].as_f64().expect("a recorded cost");
            images += 1;
        }
    }
    assert_eq!(images, 3);
    assert!(recorded > 0.0);

    let report = home.run(&["cost", "--json"]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let lines = json_lines(&report);
    let periods: Vec<&str> = lines
        .iter()
        .map(|l| l["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["today", "week", "month", "all"]);
    for line in &lines {
        assert_eq!(line["schema"], 1);
        assert_eq!(line["images"], 3, "{line}");
        let usd = line["usd"].as_f64().unwrap();
        assert!((usd - recorded).abs() < 1e-6, "{usd} against {recorded}");
        let by_model: f64 = line["by_model"]
            .as_object()
            .unwrap()
            .values()
            .map(|m| m["usd"].as_f64().unwrap())
            .sum();
        assert!((by_model - recorded).abs() < 1e-6);
        assert_eq!(line["by_model"]["gpt-image-2"]["images"], 2);
    }
    let shown = text(&home.run(&["cost"]).stdout);
    assert!(
        shown.contains("today") && shown.contains("gpt-image-2.6-flare"),
        "{shown}"
    );
}
