#!/usr/bin/env bash
# Key press to the bytes that answer it, timed outside the process
# (scripts/keypress_latency.py): from the key written to the pty to the
# typed character written back, while 4 demo jobs stream partial images,
# against vim in insert mode in the same run. The frame log must show 4
# jobs running while the keys are typed, or the script fails.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && cargo build --release --quiet)
python3 "$ROOT/scripts/keypress_latency.py" "$ROOT/target/release/artty" "$WORK"
