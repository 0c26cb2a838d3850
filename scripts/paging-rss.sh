#!/usr/bin/env bash
# Memory after paging three times through 10,000 images in kitty, sixel
# and half-block modes (scripts/paging_rss.py); target: under 80 MiB in
# every mode, flat over the passes.
#   bash scripts/paging-rss.sh [COUNT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COUNT="${1:-10000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example fill_gallery)
"$ROOT/target/release/examples/fill_gallery" "$WORK/data/demo/gallery" "$COUNT" 256 >/dev/null
python3 "$ROOT/scripts/paging_rss.py" "$ROOT/target/release/artty" "$WORK" "$COUNT" kitty sixel blocks
