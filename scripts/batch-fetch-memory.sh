#!/usr/bin/env bash
# Peak resident memory of `artty batches fetch` on a Batch API output file
# of about 2 GB, against an anchor measured in the same run: the same
# fetch of a file of about 25 MB. Memory that stays flat however large the
# file gives a ratio near 1; the target is a peak under 100 MiB.
#   bash scripts/batch-fetch-memory.sh [LINES]   (default 700 lines, ~2 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-700}
cargo build --quiet --bin artty
bin=$PWD/target/debug/artty
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
# Every answer is one 2.2 MB PNG of noise (3 MB of base64 in the file).
"$bin" mock-server --port "$port" --batch-seconds 1 --batch-answer-bytes 2200000 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q listening "$work/server.log" 2>/dev/null && break; sleep 0.1; done

# Runs one artty command in HOME_DIR and prints its peak RSS in KiB.
peak_kib() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
if done.returncode != 0:
    sys.exit(f"{sys.argv[1:]} exited {done.returncode}")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

# Submits N lines in a home of their own, fetches them, prints "KiB BYTES".
measure() {
  local n=$1 home="$work/home-$1"
  mkdir -p "$home"
  seq "$n" | sed 's/^/picture /' >"$home/lines.txt"
  export ARTTY_CONFIG_DIR=$home/config ARTTY_DATA_DIR=$home/data ARTTY_CACHE_DIR=$home/cache
  export OPENAI_API_KEY=sk-memory-measure-0000 OPENAI_BASE_URL=http://127.0.0.1:$port/v1
  "$bin" batch "$home/lines.txt" --batch-api -m gpt-image-2 >/dev/null 2>&1
  sleep 2
  local kib
  kib=$(peak_kib "$bin" batches fetch)
  local bytes
  bytes=$(find "$home/data/gallery" -name '*.png' -printf '%s\n' | awk '{s+=$1} END {printf "%d", s*4/3}')
  echo "$kib $bytes"
}

read -r anchor_kib anchor_bytes < <(measure 8)
read -r big_kib big_bytes < <(measure "$lines")
awk -v ak="$anchor_kib" -v ab="$anchor_bytes" -v bk="$big_kib" -v bb="$big_bytes" 'BEGIN {
  printf "anchor: fetch of %.0f MB of answers: peak RSS %.1f MiB\n", ab / 1e6, ak / 1024
  printf "large:  fetch of %.0f MB of answers: peak RSS %.1f MiB\n", bb / 1e6, bk / 1024
  printf "ratio large/anchor: %.2f (file %.0fx larger); target: peak under 100 MiB: %s\n",
    bk / ak, bb / ab, (bk < 100 * 1024 ? "met" : "NOT met")
  exit (bk < 100 * 1024 ? 0 : 1)
}'
