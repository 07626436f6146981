#!/usr/bin/env bash
# What hooks cost, whole process, in one run: `tme add` with no hooks and with one on-add hook
# (a shell script that passes the task through), and how long a second writer waits while
# another `tme add` has a slow hook running, against the same second writer alone.
#
#   scripts/bench-hooks.sh          # needs hyperfine (apt-get install hyperfine)
#   RUNS=50 SLOW=3 scripts/bench-hooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-30}
slow=${SLOW:-2}
command -v hyperfine >/dev/null || { echo "bench-hooks.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin tme
tme="$root/target/release/tme"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
mkdir -p "$work/none" "$work/pass" "$work/slow"
printf '#!/bin/sh\nread task\necho "$task"\n' > "$work/pass/on-add.pass"
printf '#!/bin/sh\nread task\nsleep %s\necho "$task"\n' "$slow" > "$work/slow/on-add.slow"
chmod 755 "$work/pass/on-add.pass" "$work/slow/on-add.slow"

echo "== tme add, without and with an on-add hook ($runs runs each)"
hyperfine --warmup 3 --runs "$runs" --export-json "$work/add.json" \
  -n "no hook" "TME_DATABASE_URL=$work/a.redb TME_HOOKS_DIR=$work/none $tme add Water plants" \
  -n "on-add hook" "TME_DATABASE_URL=$work/b.redb TME_HOOKS_DIR=$work/pass $tme add Water plants" \
  >/dev/null
python3 - "$work/add.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
a, b = r["no hook"], r["on-add hook"]
print(f"tme add: {a*1000:.1f} ms without a hook, {b*1000:.1f} ms with one ({b/a:.2f}x)")
PY

echo "== a second writer while a ${slow} s hook runs"
export TME_DATABASE_URL="$work/c.redb"
"$tme" list >/dev/null
alone=() beside=()
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N); TME_HOOKS_DIR="$work/none" "$tme" add Quick >/dev/null; end=$(date +%s.%N)
  alone+=("$start:$end")
  TME_HOOKS_DIR="$work/slow" "$tme" add Slow >/dev/null & pid=$!
  sleep 0.5
  start=$(date +%s.%N); TME_HOOKS_DIR="$work/none" "$tme" add Quick >/dev/null; end=$(date +%s.%N)
  beside+=("$start:$end")
  wait "$pid"
done
python3 - "${alone[*]}" "${beside[*]}" <<'PY'
import sys
def took(pairs):
    return [float(b) - float(a) for a, b in (p.split(":") for p in pairs.split())]
alone, beside = took(sys.argv[1]), took(sys.argv[2])
a, b = sum(alone) / len(alone), sum(beside) / len(beside)
print(f"second writer: {a*1000:.1f} ms alone, {b*1000:.1f} ms while the hook runs ({b/a:.2f}x; worst {max(beside)*1000:.1f} ms)")
PY
"$tme" check >/dev/null && echo "tme check: sound"
