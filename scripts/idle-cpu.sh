#!/usr/bin/env bash
# CPU used by the real binary while idle: started in demo mode in tmux,
# left alone for 2 s, then user+system time sampled over 10 s.
source "$(dirname "$0")/tui-bench-lib.sh"
start_app 160 48 --demo
wait_for "DEMO" >/dev/null
sleep 2
pid=$(app_pid)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks); sleep 10; after=$(ticks)
awk -v d=$((after - before)) -v hz="$hz" 'BEGIN {printf "idle CPU: %.2f %% (%d ticks of 1/%d s in 10 s)\n", d / hz / 10 * 100, d, hz}'
