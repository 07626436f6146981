#!/usr/bin/env bash
# Whole-process benchmark of `tme import`: 100,000 tasks (a third open, the rest completed) in
# Taskwarrior's JSON, in TME's own JSON and as todo.txt, each into a fresh database; and, where
# Taskwarrior is installed, `tme import` against `task import` of the same 10,000 tasks. Prints
# mean times and ratios, all measured in this one run.
#
#   scripts/bench-import.sh                # needs hyperfine (apt-get install hyperfine) and python3
#   RUNS=5 BENCH_DIR=/tmp/tme-import scripts/bench-import.sh   # reuse the files
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-3}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "bench-import.sh needs $tool (apt-get install $tool)" >&2; exit 2; }
done

cargo build --release --quiet --bin tme --example fill
tme="$root/target/release/tme"
fill="$root/target/release/examples/fill"
cd "$work"
# A private home, so that no user config, data or log is touched.
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
for n in 100000 10000; do
  if [ ! -f "$n.tw.json" ]; then
    "$fill" "source-$n.redb" "$n" $((n / 3)) "$n.tw.json"
    "$tme" --db "source-$n.redb" export > "$n.tme.json"
    "$tme" --db "source-$n.redb" export --format todotxt > "$n.todo.txt"
  fi
done
cases=(
  --prepare "rm -f fresh.redb" -n "tme import, Taskwarrior JSON (100k)" "$tme --db fresh.redb import 100000.tw.json"
  --prepare "rm -f fresh.redb" -n "tme import, TME JSON (100k)" "$tme --db fresh.redb import 100000.tme.json"
  --prepare "rm -f fresh.redb" -n "tme import, todo.txt (100k)" "$tme --db fresh.redb import 100000.todo.txt"
  --prepare "rm -f fresh.redb" -n "tme import (10k)" "$tme --db fresh.redb import 10000.tw.json"
)
if command -v task >/dev/null; then
  export TASKDATA="$work/taskwarrior" TASKRC="$work/taskrc"
  printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=%s\n' \
    "$TASKDATA" "$(task --version)" > "$TASKRC"
  cases+=(--prepare "sh -c 'rm -rf $TASKDATA && mkdir -p $TASKDATA'" -n "task import (10k)" "task import 10000.tw.json")
else
  echo "Taskwarrior is not installed (apt-get install taskwarrior): timing TME alone." >&2
fi

hyperfine -N --runs "$runs" --style basic --export-json "$work/results.json" "${cases[@]}" > "$work/hyperfine.txt"

python3 - "$work/results.json" <<'PY'
import json, sys
results = {r["command"]: (r["mean"], max(r["times"])) for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':40} {'mean':>8} {'worst':>8}")
for name, (mean, worst) in results.items():
    print(f"{name:40} {mean:7.2f}s {worst:7.2f}s")
if "task import (10k)" in results:
    print()
    ratio = results["task import (10k)"][0] / results["tme import (10k)"][0]
    print(f"Taskwarrior time / TME time, same 10,000 tasks (higher: TME faster): {ratio:.1f}x")
PY
echo
echo "Raw hyperfine output: $work/hyperfine.txt"
