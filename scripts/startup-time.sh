#!/usr/bin/env bash
# First frame of the real binary with an empty gallery, from --startuptime:
# median of 20 starts at 80x24, in demo mode and with a key from the
# environment (no request is made before the first frame).
source "$(dirname "$0")/tui-bench-lib.sh"
for mode in demo key; do
  times=()
  for i in $(seq 20); do
    rm -rf "$WORK/config" "$WORK/data" "$WORK/st"
    if [ $mode = demo ]; then args="--demo"; APP_ENV=""; else args=""; APP_ENV="OPENAI_API_KEY=sk-bench-000000000000"; fi
    start_app 80 24 $args --startuptime "$WORK/st"
    wait_for "Prompt" >/dev/null
    sleep 0.2
    times+=("$(awk '/first frame drawn/ {print $1}' "$WORK/st")")
    stop_app
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v m=$mode '{a[NR]=$1} END {printf "first frame (%s): median %.1f ms, min %.1f, max %.1f over %d starts\n", m, a[int((NR+1)/2)], a[1], a[NR], NR}'
done
