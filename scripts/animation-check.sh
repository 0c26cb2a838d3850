#!/usr/bin/env bash
# Does a GIF's tile move in real terminals? Under Xvfb, runs `artty --demo`
# over a gallery holding one animated GIF in xterm (-ti vt340: sixel) and in
# kitty (its graphics protocol, which plays the frames itself), takes two
# screenshots 300 ms apart, and counts the pixels that differ; then again
# with --no-animate, where nothing may change. Screenshots are kept in
# $OUT (default target/animation-check) to be looked at.
# Needs: xvfb xterm kitty x11-apps imagemagick (Debian packages).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/artty"
OUT="${OUT:-$ROOT/target/animation-check}"
WORK="$(mktemp -d)"
DISPLAY_NUM=":77"
CONVERT=/usr/bin/convert
COMPARE=/usr/bin/compare
mkdir -p "$OUT"
(cd "$ROOT" && cargo build --release --quiet)

export ARTTY_CONFIG_DIR="$WORK/config" ARTTY_DATA_DIR="$WORK/data" ARTTY_CACHE_DIR="$WORK/cache"
"$BIN" --demo -q generate -m gpt-image-2.6-flare --format gif --frames 4 --frame-ms 200 -s 480x480 "a ball crossing the frame" >/dev/null

# -noreset: without it the server resets when its last client leaves, and
# a terminal connecting during the reset fails with "Can't open display".
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 -noreset >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; pkill -f "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DISPLAY="$DISPLAY_NUM"
sleep 1

shot() { xwd -root -silent | "$CONVERT" xwd:- "$1"; }

# run TERMINAL NAME ARGS...: starts artty in the terminal, waits for it to
# draw, takes two shots 300 ms apart and prints how many pixels differ.
run() {
  local terminal=$1 name=$2; shift 2
  local command="$BIN --demo $* ; sleep 30"
  case "$terminal" in
    xterm) xterm -ti vt340 +bc -geometry 160x45+0+0 -fa Monospace -fs 9 -e sh -c "$command" & ;;
    kitty) LIBGL_ALWAYS_SOFTWARE=1 kitty -o cursor_blink_interval=0 -o remember_window_size=no \
             -o initial_window_width=1260 -o initial_window_height=780 sh -c "$command" & ;;
  esac
  local pid=$!
  sleep 6
  shot "$OUT/$name-a.png"
  sleep 0.3
  shot "$OUT/$name-b.png"
  local changed
  changed=$("$COMPARE" -metric AE "$OUT/$name-a.png" "$OUT/$name-b.png" /dev/null 2>&1 || true)
  printf '%-24s %s pixels changed in 300 ms\n' "$name" "$changed"
  kill "$pid" 2>/dev/null || true
  pkill -f "$BIN --demo" 2>/dev/null || true
  sleep 1
}

run xterm xterm-sixel
run xterm xterm-sixel-no-animate --no-animate
run kitty kitty
run kitty kitty-no-animate --no-animate
echo "screenshots in $OUT"
