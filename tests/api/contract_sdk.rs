//! The official Python SDK as a second contract: `tests/contract/sdk_differential.py`
//! makes the same request with `openai==3.51.0` and with the real artty
//! binary against one recording server on loopback, for every case of its
//! table (every model and parameter of today's API), and fails on any
//! difference. The SDK comes from `tests/contract/.venv` (scripts/test makes it).

use crate::common;

use std::path::Path;
use std::process::Command;

#[test]
fn the_cli_sends_what_the_official_sdk_sends() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("tests/contract/.venv/bin/python");
    if !common::tools::installed(
        &python,
        "python3 -m venv tests/contract/.venv && tests/contract/.venv/bin/pip install -r \
         tests/contract/requirements.txt",
    ) {
        return;
    }
    let run = Command::new(python)
        .arg(root.join("tests/contract/sdk_differential.py"))
        .arg(env!("CARGO_BIN_EXE_artty"))
        .output()
        .expect("run the differential script");
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        run.status.success(),
        "the SDK and artty sent different requests:\n{report}"
    );
    let summary = report
        .lines()
        .find_map(|l| l.strip_prefix("differential: "))
        .expect("a summary line");
    let passed: usize = summary
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(passed >= 30, "only {passed} cases ran: {summary}");
    assert!(summary.ends_with(" 0 failed"), "{summary}");
}
