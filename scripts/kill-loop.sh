#!/usr/bin/env bash
# Crash safety: SIGKILL artty at random moments while it makes and saves
# images, ROUNDS times (default 200). After every kill the gallery must
# load with every listed image readable (`artty gallery --check`), the
# temp files the kill left must be gone once it has been opened, and an
# image the kill left without its sidecar must be listed again.
#   bash scripts/kill-loop.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-200}"
cargo build --release -q
bin="$PWD/target/release/artty"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export ARTTY_CONFIG_DIR="$home/config" ARTTY_DATA_DIR="$home/data" ARTTY_CACHE_DIR="$home/cache"
gallery="$home/gallery"
# exec: in the background the function runs in a subshell, and $! must be
# artty itself, not that shell.
make() { exec "$bin" --demo --out "$gallery" generate -m gpt-image-1 -n 4 --size 1536x1024 --quality high "$1"; }
now_us() { date +%s%6N; }

# Kill anywhere from start-up to the last file: time a whole run first.
t0=$(now_us); (make "timing run" > /dev/null 2>&1); t1=$(now_us)
span_us=$(( (t1 - t0) * 11 / 10 ))
echo "a run takes $(( (t1 - t0) / 1000 )) ms; killing at random within $(( span_us / 1000 )) ms"

killed=0 finished=0 temps_seen=0 adopted=0
for round in $(seq 1 "$rounds"); do
    make "round $round" > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v max="$span_us" -v seed="$round$RANDOM" 'BEGIN { srand(seed); printf "%.6f", rand() * max / 1e6 }')"
    if kill -9 "$pid" 2> /dev/null; then killed=$((killed + 1)); fi
    if wait "$pid" 2> /dev/null; then finished=$((finished + 1)); fi
    temps=$(find "$gallery" -maxdepth 1 -name '.artty-tmp-*' 2> /dev/null | wc -l)
    temps_seen=$((temps_seen + temps))
    if ! "$bin" --out "$gallery" gallery --check > "$home/list.txt" 2> "$home/check.txt"; then
        echo "round $round: the gallery did not check out"
        cat "$home/check.txt"
        exit 1
    fi
    left=$(find "$gallery" -maxdepth 1 -name '.artty-tmp-*' | wc -l)
    if [ "$left" -ne 0 ]; then
        echo "round $round: $left temp file(s) left after the gallery was opened"
        exit 1
    fi
    adopted=$((adopted + $(grep -c "listed again" "$home/check.txt" || true)))
    for png in "$gallery"/*.png; do
        if [ -e "$png" ] && [ ! -e "${png%.png}.json" ]; then
            echo "round $round: $png has no sidecar after the gallery was opened"
            exit 1
        fi
    done
done

listed=$(wc -l < "$home/list.txt")
images=$(find "$gallery" -maxdepth 1 -name '*.png' | wc -l)
sidecars=$(find "$gallery" -maxdepth 1 -name '*.json' | wc -l)
echo "rounds: $rounds, killed while running: $killed, finished before the kill: $finished"
echo "temp files found after kills: $temps_seen, left after the next start: 0"
echo "images listed: $listed, all readable; image files: $images, sidecars: $sidecars"
echo "starts that listed again images a kill left without a sidecar: $adopted; images without a sidecar now: 0"
