#!/usr/bin/env bash
# Key press to drawn frame in the real binary while 4 demo jobs stream
# partial images (8 jobs, 4 at a time, so 4 stream while typing goes on): the app records each key's time from waking to the frame
# being written (ARTTY_FRAME_TIMES) and summarises it on exit.
source "$(dirname "$0")/tui-bench-lib.sh"
mkdir -p "$WORK/data"
# Streaming with 3 partial images, remembered for gpt-image-2.
cat > "$WORK/data/state.json" <<'JSON'
{"history": [], "last_model": "gpt-image-2",
 "params": {"gpt-image-2": {"model": "gpt-image-2", "stream": true, "partial_images": 3}}}
JSON
APP_ENV="ARTTY_FRAME_TIMES=$WORK/frames" start_app 160 48 --demo --jobs 4
wait_for "DEMO" >/dev/null
keys -l "a fox"
for _ in $(seq 8); do keys C-g; sleep 0.02; done
wait_for "8 running" >/dev/null
# Typing while they stream: 60 keys, 30 ms apart.
for _ in $(seq 60); do keys -l "x"; sleep 0.03; done
running_at_end=$(screen | grep -c "receiving, partial" || true)
wait_for "Gallery · 8 images" >/dev/null
keys Escape; sleep 0.2; keys q
for _ in $(seq 50); do [ -s "$WORK/frames" ] && break; sleep 0.1; done
echo "jobs still streaming partial images when typing ended: $running_at_end"
cat "$WORK/frames"
