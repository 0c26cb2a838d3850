#!/usr/bin/env bash
# Key press to drawn frame in the real binary while 4 demo jobs stream
# partial images: the app records each key's time from waking to the frame
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
for _ in 1 2 3 4; do keys C-g; sleep 0.05; done
wait_for "4 running" >/dev/null
# Typing while they stream: 60 keys, 40 ms apart.
for _ in $(seq 60); do keys -l "x"; sleep 0.04; done
running_at_end=$(screen | grep -c "receiving\|waiting" || true)
wait_for "Gallery · 4 images" >/dev/null
keys Escape q
sleep 0.5
echo "rows still streaming when typing ended: $running_at_end"
cat "$WORK/frames"
