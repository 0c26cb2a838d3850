#!/usr/bin/env bash
# Launch to first frame of the real binary, the whole process included,
# against `vim -u NONE` in the same run (scripts/first_frame.py): artty in
# demo mode with an empty gallery and with 10,000 images, and with a key
# and no demo, 80x24, 30 rounds. The first frame ends when the footer's
# "jobs 0" is written (the last row; ratatui writes rows in order); vim's
# when the last line of its intro is. Targets: at most 1.3x vim empty, 2.0x at
# 10,000 images.
#   bash scripts/first-frame.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/artty"
ROUNDS="${1:-30}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example fill_gallery)
mkdir -p "$WORK/empty" "$WORK/full"
"$ROOT/target/release/examples/fill_gallery" "$WORK/full/data/demo/gallery" 10000 64 >/dev/null
# One start of each first, so the thumbnail cache and the gallery index
# exist as they would for anyone who has opened the app before.
for g in empty full; do
  ARTTY_CONFIG_DIR="$WORK/$g/config" ARTTY_DATA_DIR="$WORK/$g/data" ARTTY_CACHE_DIR="$WORK/$g/cache" \
    python3 "$ROOT/scripts/first_frame.py" 1 80 24 -- warm "jobs 0" "$BIN" --demo >/dev/null
done
dirs() { echo "ARTTY_CONFIG_DIR=$WORK/$1/config ARTTY_DATA_DIR=$WORK/$1/data ARTTY_CACHE_DIR=$WORK/$1/cache"; }
# shellcheck disable=SC2046
python3 "$ROOT/scripts/first_frame.py" "$ROUNDS" 80 24 \
  -- "vim -u NONE (anchor)" "info on this" vim -u NONE \
  -- "artty, empty gallery" "jobs 0" env $(dirs empty) "$BIN" --demo \
  -- "artty, empty, a key, no demo" "jobs 0" env $(dirs empty) OPENAI_API_KEY=sk-bench-000000000000 "$BIN" \
  -- "artty, 10,000 images" "jobs 0" env $(dirs full) "$BIN" --demo \
  -- "artty, 10,000 images counted" "10000 images" env $(dirs full) "$BIN" --demo
