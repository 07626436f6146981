#!/usr/bin/env bash
# What a long undo costs other writers, whole process, in one run: `tme undo` of an import of
# N tasks, and how long a `tme add` started at a quarter, half and three quarters of the undo
# takes, against the same add alone. The undo works out what to revert on a snapshot and holds
# the write lock only to write, so a writer waits for the writing, not for the reading.
#
#   scripts/bench-undo.sh            # N=50000, 5 trials
#   N=100000 TRIALS=3 scripts/bench-undo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${N:-50000}
trials=${TRIALS:-5}
cargo build --release --quiet --bin tme
tme="$root/target/release/tme"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null TME_DATABASE_URL="$work/u.redb"
python3 - "$n" > "$work/big.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps([{"title": f"Task {i}", "category": "Work", "tags": ["lab"],
                   "due": f"2026-12-{i % 28 + 1:02d}"} for i in range(n)]))
PY
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); printf '%.2f' "$(echo "$end - $start" | bc)"; }
fresh() { rm -f "$work/u.redb"; "$tme" import "$work/big.json" >/dev/null; }
fresh
alone=$(seconds "$tme" add Alone)
"$tme" undo >/dev/null
solo=$(seconds "$tme" undo)
echo "tme undo of an import of $n tasks: $solo s; tme add alone: $alone s"
echo "a tme add started while the undo runs (at a share of its time): how long it takes"
for share in 0.25 0.5 0.75; do
  for _ in $(seq "$trials"); do
    fresh
    ( sleep "$(echo "$solo * $share" | bc)"; seconds "$tme" add Beside > "$work/beside" ) &
    took=$(seconds "$tme" undo)
    wait
    echo "  at $share: add $(cat "$work/beside") s (the undo took $took s)"
  done
done
