#!/usr/bin/env bash
# The soak run at full size: 1,000 jobs through the app's effect runner
# against the fake server, about 30 % of them with faults (the suite runs
# the same test with 120). Prints the totals and descriptor/memory figures.
#   bash scripts/soak.sh [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_JOBS="${1:-1000}" cargo test --release --test soak -- --nocapture 2>&1 \
    | grep -E '^(after|soak:)|test result|panicked|expected'
