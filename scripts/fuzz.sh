#!/usr/bin/env bash
# Runs the fuzz targets under fuzz/ for a bounded time each, starting from
# the seeds in fuzz/corpus/ (which it never changes; what it finds goes to
# fuzz/target/work/). Needs the nightly toolchain and cargo-fuzz; not run in CI.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# A crash is saved under fuzz/artifacts/TARGET/; replay it with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…
# and add it as a regression test next to the code it broke.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(sse_stream response_json terminal_reply sidecar_gallery config_files edit_inputs)
fi
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz
status=0
printf '%-16s %14s %10s  %s\n' target executions "per second" result > target/summary.txt 2>/dev/null \
    || { mkdir -p target; printf '%-16s %14s %10s  %s\n' target executions "per second" result > target/summary.txt; }
for target in "${targets[@]}"; do
    mkdir -p "target/work/$target"
    log="target/$target.log"
    if cargo +nightly fuzz run "$target" "target/work/$target" "corpus/$target" -- \
        -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
        > "$log" 2>&1; then
        result="no crash"
    else
        result="FAILED (see fuzz/$log)"
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    printf '%-16s %14s %10s  %s\n' "$target" "$runs" "$((runs / secs))" "$result" >> target/summary.txt
done
cat target/summary.txt
exit $status
