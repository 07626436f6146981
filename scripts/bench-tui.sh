#!/usr/bin/env bash
# Whole-process benchmark of the TUI's first frame: how long from starting `tme` until its
# screen shows the loaded tasks, on 100,000 open tasks and on 1,000,000 tasks (5,000 open),
# measured through tmux like a user's terminal. Prints the median of RUNS starts of each.
# The cost of a key press with 100,000 tasks is measured in-process by `cargo bench -- tui_100k`.
#
#   scripts/bench-tui.sh             # needs tmux (apt-get install tmux)
#   RUNS=20 BENCH_DIR=/tmp/tme-bench scripts/bench-tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-10}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
command -v tmux >/dev/null || { echo "bench-tui.sh needs tmux (apt-get install tmux)" >&2; exit 2; }
cargo build --release --quiet --bin tme --example fill
tme="$root/target/release/tme"
fill="$root/target/release/examples/fill"
[ -f "$work/100k-open.redb" ] || "$fill" "$work/100k-open.redb" 100000 100000
[ -f "$work/1m.redb" ] || "$fill" "$work/1m.redb" 1000000 5000

socket="tme-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true' EXIT
tmux -L "$socket" new-session -d -x 160 -y 45 "sleep 100000"
# shellcheck source=first-frame.sh
. "$root/scripts/first-frame.sh"
first_frame() {  # command, text its screen shows when ready
  first_frame_ms "$socket" "$runs" "$1" "$2" | sort -n | awk '{a[NR]=$1} END {printf "%d ms (median of %d; fastest %d, slowest %d)\n", a[int((NR+1)/2)], NR, a[1], a[NR]}'
}
tui() { echo "env -i TERM=xterm-256color HOME='$work/home' TZ=UTC TME_CONFIG=/dev/null '$tme' --db '$work/$1'"; }
echo "tmux's own cost (a window showing 'ready'):           $(first_frame "echo ready; sleep 100" ready)"
echo "First frame with tasks, 100,000 open tasks:           $(first_frame "$(tui 100k-open.redb)" 'pending ·')"
echo "First frame with tasks, 1,000,000 tasks (5,000 open): $(first_frame "$(tui 1m.redb)" 'pending ·')"
