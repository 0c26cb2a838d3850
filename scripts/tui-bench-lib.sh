# Shared by the scripts that measure the real binary in tmux: a private
# tmux server, empty config and data folders, the release binary.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/artty"
WORK="$(mktemp -d)"
SOCK="artty-bench-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
(cd "$ROOT" && cargo build --release --quiet)

# start_app W H ARGS... : runs artty in a new tmux session named "app".
start_app() {
  local w=$1 h=$2; shift 2
  tmux -L "$SOCK" -f /dev/null new-session -d -s app -x "$w" -y "$h" \
    "env ARTTY_CONFIG_DIR=$WORK/config ARTTY_DATA_DIR=$WORK/data ARTTY_CACHE_DIR=$WORK/cache ${APP_ENV:-} $BIN $*; sleep 30"
}

stop_app() { tmux -L "$SOCK" kill-session -t app 2>/dev/null || true; sleep 0.2; }

screen() { tmux -L "$SOCK" capture-pane -p -t app; }

keys() { tmux -L "$SOCK" send-keys -t app "$@"; }

# wait_for TEXT: polls the screen for up to 20 s.
wait_for() {
  for _ in $(seq 200); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "never saw: $1" >&2; screen >&2; return 1
}

# The pid of artty inside the session.
app_pid() { pgrep -f "^$BIN" | head -1; }
