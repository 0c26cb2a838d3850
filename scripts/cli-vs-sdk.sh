#!/usr/bin/env bash
# One generation from the CLI against the official Python SDK on the same
# loopback server (scripts/cli_vs_sdk.py). Installs the SDK into
# tests/contract/.venv when it is missing, as scripts/test does.
#   bash scripts/cli-vs-sdk.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/tests/contract/.venv"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && cargo build --release --quiet)
if ! "$VENV/bin/python" -c 'import openai' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$ROOT/tests/contract/requirements.txt"
fi
python3 "$ROOT/scripts/cli_vs_sdk.py" "$ROOT/target/release/artty" "$VENV/bin/python" "$WORK" "${1:-20}"
