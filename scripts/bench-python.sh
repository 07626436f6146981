#!/usr/bin/env bash
# `import tme` from Python, timed in one run beside the CLI: `add_task` (one committed command
# each, on a database of SIZE tasks) against `tme add` as a process, and `get_tasks()` of OPEN
# open tasks. The package is the release build `pip install ./python` makes, in a virtual
# environment of its own under target/.
#
#   scripts/bench-python.sh                 # 20,000 tasks of which 10,000 open
#   SIZE=2000 OPEN=1000 ADDS=200 scripts/bench-python.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
size=${SIZE:-20000}
open=${OPEN:-10000}
adds=${ADDS:-1000}
command -v hyperfine >/dev/null || { echo "bench-python.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
venv=target/bench-python
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q ./python
cargo build --release --quiet --bin tme --example fill
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
mkdir -p "$HOME"
"$root/target/release/examples/fill" "$work/tasks.redb" "$size" "$open" >/dev/null 2>&1
cp "$work/tasks.redb" "$work/cli.redb"

"$venv/bin/python" - "$work/tasks.redb" "$adds" <<'PY'
import statistics, sys, time
import tme

path, adds = sys.argv[1], int(sys.argv[2])
with tme.TaskManager(path) as tm:
    def timed(call, times):
        spent = []
        for _ in range(times):
            start = time.perf_counter()
            call()
            spent.append((time.perf_counter() - start) * 1000)
        spent.sort()
        return statistics.median(spent), spent[int(len(spent) * 0.95)]

    listed = len(tm.get_tasks())
    get_median, get_p95 = timed(tm.get_tasks, 30)
    counter = iter(range(10**9))
    add_median, add_p95 = timed(lambda: tm.add_task(f"Benchmark task {next(counter)}", "Bench"), adds)
    print(f"python add_task:  median {add_median:.2f} ms, p95 {add_p95:.2f} ms ({adds} adds)")
    print(f"python get_tasks: median {get_median:.1f} ms, p95 {get_p95:.1f} ms ({listed} open tasks)")
PY
hyperfine --style basic --warmup 3 --runs 50 \
  "$root/target/release/tme --db $work/cli.redb add Benchmark task #Bench" 2>&1 | sed -n '/Time/p' | sed 's/^ */tme add (process):/'
