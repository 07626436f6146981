#!/usr/bin/env bash
# Whole-process benchmark of `tme add`, `tme list --limit 50` and `tme next` on databases of
# 20,000 and 1,000,000 tasks (5,000 of them open in both, the rest completed over three years),
# and, where Taskwarrior is installed, of `task add`, `task list` and `task next` on the same
# 20,000 tasks. Prints mean times and the ratios between them, all measured in this one run.
#
#   scripts/bench.sh               # needs hyperfine (apt-get install hyperfine) and python3
#   RUNS=50 OPEN=2000 BENCH_DIR=/tmp/tme-bench scripts/bench.sh   # reuse the filled databases
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-30}
open=${OPEN:-5000}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "bench.sh needs $tool (apt-get install $tool)" >&2; exit 2; }
done

cargo build --release --quiet --bin tme --example fill
tme="$root/target/release/tme"
fill="$root/target/release/examples/fill"
[ -f "$work/20k.redb" ] || "$fill" "$work/20k.redb" 20000 "$open" "$work/20k.tw.json"
[ -f "$work/1m.redb" ] || "$fill" "$work/1m.redb" 1000000 "$open"

cd "$work"
# A private home, so that no user config, data or log is touched.
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
cases=()
for size in 20k 1m; do
  cases+=(-n "tme add ($size)" "$tme --db $size.redb add Benchmark task #Bench due:tomorrow")
  cases+=(-n "tme list --limit 50 ($size)" "$tme --db $size.redb list --limit 50")
  cases+=(-n "tme next ($size)" "$tme --db $size.redb next")
  cases+=(-n "tme list, all open ($size)" "$tme --db $size.redb list")
done
if command -v task >/dev/null; then
  export TASKDATA="$work/taskwarrior" TASKRC="$work/taskrc"
  if [ ! -d "$TASKDATA" ]; then
    mkdir -p "$TASKDATA"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nnews.version=%s\n' \
      "$TASKDATA" "$(task --version)" > "$TASKRC"
    task rc.hooks=off import "$work/20k.tw.json" > /dev/null 2>&1
  fi
  cases+=(-n "task add (20k)" "task add Benchmark task project:Bench due:tomorrow")
  cases+=(-n "task list limit:50 (20k)" "task list limit:50")
  cases+=(-n "task next (20k)" "task next limit:10")
  cases+=(-n "task list, all open (20k)" "task list")
else
  echo "Taskwarrior is not installed (apt-get install taskwarrior): timing TME alone." >&2
fi

hyperfine -N --warmup 3 --runs "$runs" --style basic --export-json "$work/results.json" "${cases[@]}" > "$work/hyperfine.txt"

python3 - "$work/results.json" <<'PY'
import json, sys
results = {r["command"]: r["mean"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':34} {'mean':>9}")
for name, ms in results.items():
    print(f"{name:34} {ms:8.1f}ms")
print()
print("Growth from 20,000 to 1,000,000 tasks (1M time / 20k time):")
for op in ["tme add", "tme list --limit 50", "tme next", "tme list, all open"]:
    print(f"  {op:30} {results[op + ' (1m)'] / results[op + ' (20k)']:5.2f}x")
pairs = [("add", "tme add", "task add"), ("list, limit 50", "tme list --limit 50", "task list limit:50"),
         ("next", "tme next", "task next"), ("list, all open", "tme list, all open", "task list, all open")]
if "task add (20k)" in results:
    print()
    print("Taskwarrior time / TME time, same 20,000 tasks (higher: TME faster):")
    for label, ours, theirs in pairs:
        print(f"  {label:30} {results[theirs + ' (20k)'] / results[ours + ' (20k)']:5.1f}x")
PY
echo
echo "Raw hyperfine output: $work/hyperfine.txt"
