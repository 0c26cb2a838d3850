#!/usr/bin/env bash
# CPU used while a GIF animates, and once it is off screen: the app steps
# frames only while an animated picture is shown, so with the tile covered
# (the help overlay) the figure must fall back to idle. Anchor: the same
# app over a gallery with no GIF, measured in the same run.
source "$(dirname "$0")/tui-bench-lib.sh"
hz=$(getconf CLK_TCK)
sample() {
  local pid ticks_before ticks_after
  pid=$(app_pid)
  ticks_before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep 5
  ticks_after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  awk -v d=$((ticks_after - ticks_before)) -v hz="$hz" -v what="$1" \
    'BEGIN {printf "%-34s %5.2f %% CPU (%d ticks of 1/%d s in 5 s)\n", what, d / hz / 5 * 100, d, hz}'
}
env ARTTY_CONFIG_DIR="$WORK/config" ARTTY_DATA_DIR="$WORK/data" ARTTY_CACHE_DIR="$WORK/cache" \
  "$BIN" --demo -q generate -s 480x480 -m gpt-image-2.6-flare "a still picture" >/dev/null
start_app 160 48 --demo --graphics blocks
wait_for "DEMO" >/dev/null
sleep 2
sample "anchor: idle, no GIF"
stop_app
env ARTTY_CONFIG_DIR="$WORK/config" ARTTY_DATA_DIR="$WORK/data" ARTTY_CACHE_DIR="$WORK/cache" \
  "$BIN" --demo -q generate -m gpt-image-2.6-flare --format gif --frames 4 --frame-ms 200 -s 480x480 "a ball" >/dev/null
start_app 160 48 --demo --graphics blocks
wait_for "DEMO" >/dev/null
sleep 2
sample "GIF on screen, animating"
keys F1
sleep 1
sample "GIF covered by the help overlay"
