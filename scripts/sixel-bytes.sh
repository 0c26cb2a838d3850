#!/usr/bin/env bash
# Bytes artty writes to a real sixel terminal for what a person does in the
# gallery: the first page, one move, a burst of 12 moves down (keys 30 ms
# apart, as a held key repeats), PageDown, help open and help close. Runs
# xterm (-ti vt340) and mlterm under Xvfb over a 24-image gallery at about
# 160x48 cells, keys sent with xdotool, bytes read from ARTTY_DEBUG_FRAMES
# (the running count of bytes written to the terminal). Each step's bytes
# are printed with their ratio to the first page's (the anchor).
#   bash scripts/sixel-bytes.sh [xterm|mlterm]...
# Needs: xvfb xterm mlterm xdotool fonts-dejavu-core (Debian packages).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/artty"
WORK="$(mktemp -d)"
DISPLAY_NUM=":78"
TERMINALS=("${@:-xterm}")
[ $# -eq 0 ] && TERMINALS=(xterm mlterm)
(cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example fill_gallery)
"$ROOT/target/release/examples/fill_gallery" "$WORK/data/demo/gallery" 24 512 >/dev/null

Xvfb "$DISPLAY_NUM" -screen 0 1700x1100x24 -noreset >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; pkill -f "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DISPLAY="$DISPLAY_NUM"
sleep 1

bytes_now() { tail -1 "$WORK/frames" | sed -n 's/.*"bytes":\([0-9]*\).*/\1/p'; }
# settle: waits until no frame has been written for a second.
settle() {
  local last="" now
  for _ in $(seq 40); do
    sleep 0.5
    now=$(wc -l <"$WORK/frames")
    [ "$now" = "$last" ] && return 0
    last=$now
  done
}
press() { xdotool key --delay 30 "$@"; }

run() {
  local terminal=$1
  rm -f "$WORK/frames"
  local command="env ARTTY_CONFIG_DIR=$WORK/config ARTTY_DATA_DIR=$WORK/data ARTTY_CACHE_DIR=$WORK/cache-$terminal ARTTY_DEBUG_FRAMES=$WORK/frames $BIN --demo; sleep 30"
  case "$terminal" in
    xterm) xterm -ti vt340 +bc -geometry 160x48+0+0 -fa 'DejaVu Sans Mono' -fs 9 -e sh -c "$command" & ;;
    mlterm) mlterm --geometry 160x48+0+0 -w 12 --deffont 'DejaVu Sans Mono' -e sh -c "$command" & ;;
  esac
  local pid=$!
  for _ in $(seq 100); do [ -s "$WORK/frames" ] && break; sleep 0.1; done
  local win
  win=$(xdotool search --sync --pid "$pid" 2>/dev/null | head -1 || xdotool getactivewindow)
  xdotool windowfocus "$win" 2>/dev/null || true
  settle
  press Escape; sleep 0.3; press Tab; sleep 0.3; press Tab
  settle
  local graphics cell
  graphics=$(tail -1 "$WORK/frames" | sed -n 's/.*"graphics":"\([^"]*\)".*/\1/p')
  cell=$(tail -1 "$WORK/frames" | sed -n 's/.*"cell":\[\([0-9,]*\)\].*/\1/p')
  local page=$(bytes_now)
  local before step
  printf '%s: %s, cells %s px, size %s\n' "$terminal" "$graphics" "$cell" \
    "$(tail -1 "$WORK/frames" | sed -n 's/.*"size":\[\([0-9,]*\)\].*/\1/p')"
  printf '  %-34s %9s B\n' "first page (anchor)" "$page"
  measure() {
    local name=$1; shift
    before=$(bytes_now)
    "$@"
    settle
    step=$(( $(bytes_now) - before ))
    awk -v n="$name" -v b="$step" -v a="$page" 'BEGIN {printf "  %-34s %9d B  ratio to first page %.3f\n", n, b, b / a}'
  }
  measure "one move right" press Right
  measure "12 moves down, 30 ms apart" press Down Down Down Down Down Down Down Down Down Down Down Down
  measure "PageUp" press Prior
  measure "PageDown" press Next
  measure "help open" press F1
  measure "help close" press Escape
  kill "$pid" 2>/dev/null || true
  pkill -f "$WORK/data" 2>/dev/null || true
  sleep 1
}

for terminal in "${TERMINALS[@]}"; do run "$terminal"; done
