#!/usr/bin/env bash
# Whole-process benchmark of the same commands on a redb file and on PostgreSQL over loopback,
# side by side in one run, at a team's scale: SIZE tasks (the rest completed over three years)
# of which 5,000 are open, and again with 100,000 open. For each: `tme add`, `tme next --limit
# 50`, `tme list --limit 50`, every report (its default range) and the TUI's first frame
# (through tmux, as a user's terminal sees it). The PostgreSQL database is the redb one copied
# with `tme copy`, so both hold the same tasks; the copy is timed too.
#
#   scripts/bench-postgres.sh                          # 1,000,000 tasks; 5,000 and 100,000 open
#   SIZE=20000 OPENS="5000" RUNS=5 scripts/bench-postgres.sh   # smaller
#   TME_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres (the default): a server
#   the script may create and drop databases on. Needs hyperfine, psql, tmux and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
size=${SIZE:-1000000}
opens=${OPENS:-5000 100000}
runs=${RUNS:-20}
admin=${TME_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
for tool in hyperfine psql tmux bc; do
  command -v "$tool" >/dev/null || { echo "bench-postgres.sh needs $tool (apt-get install $tool)" >&2; exit 2; }
done
work=$(mktemp -d)
socket="tme-bench-pg-$$"
names=()
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  for name in "${names[@]}"; do psql "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cargo build --release --quiet --bin tme --example fill
tme="$root/target/release/tme"
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
mkdir -p "$HOME"
reports=$("$tme" --db "$work/none.redb" report --list | awk 'NF {print $1}')
tmux -L "$socket" new-session -d -x 160 -y 45 "sleep 100000"

# shellcheck source=first-frame.sh
. "$root/scripts/first-frame.sh"
first_frame() {  # the command that starts the TUI; prints the median ms until tasks show
  first_frame_ms "$socket" 5 "$1" "pending ·" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

for open in $opens; do
  db="$work/tasks-$open.redb"
  name="tme_bench_${open}_$$"
  names+=("$name")
  pg="${admin%/*}/$name"
  "$root/target/release/examples/fill" "$db" "$size" "$open" >/dev/null 2>&1
  psql "$admin" -qc "CREATE DATABASE $name" >/dev/null
  start=$(date +%s.%N)
  "$tme" --db "$db" copy --to "$pg" >/dev/null
  copy=$(echo "$(date +%s.%N) - $start" | bc)
  cases=()
  for backend in redb postgres; do
    if [ "$backend" = redb ]; then run="$tme --db $db"; else run="env TME_DATABASE_URL=$pg $tme"; fi
    cases+=(-n "add ($backend)" "$run add Benchmark task project:Bench due:tomorrow")
    cases+=(-n "next --limit 50 ($backend)" "$run next --limit 50")
    cases+=(-n "list --limit 50 ($backend)" "$run list --limit 50")
  done
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/fast.json" --style none "${cases[@]}" >/dev/null 2>&1
  cases=()
  for backend in redb postgres; do
    if [ "$backend" = redb ]; then run="$tme --db $db"; else run="env TME_DATABASE_URL=$pg $tme"; fi
    for report in $reports; do cases+=(-n "report $report ($backend)" "$run report $report"); done
  done
  hyperfine -N --warmup 1 --runs 3 --export-json "$work/reports.json" --style none "${cases[@]}" >/dev/null 2>&1
  tui_redb=$(first_frame "env -i TERM=xterm-256color HOME='$HOME' TZ=UTC TME_CONFIG=/dev/null '$tme' --db '$db'")
  tui_pg=$(first_frame "env -i TERM=xterm-256color HOME='$HOME' TZ=UTC TME_CONFIG=/dev/null TME_DATABASE_URL='$pg' '$tme'")
  echo
  echo "$size tasks, $open open (tme copy to PostgreSQL: $copy s)"
  python3 - "$work/fast.json" "$work/reports.json" "$tui_redb" "$tui_pg" <<'PY'
import json, sys
results = {}
for path in sys.argv[1:3]:
    results.update({r["command"]: r["mean"] * 1000 for r in json.load(open(path))["results"]})
results["TUI first frame (redb)"] = float(sys.argv[3])
results["TUI first frame (postgres)"] = float(sys.argv[4])
print(f"{'command':<28} {'redb ms':>9} {'PostgreSQL ms':>14} {'ratio':>7}")
for what in dict.fromkeys(k.rsplit(" (", 1)[0] for k in results):
    a, b = results[f"{what} (redb)"], results[f"{what} (postgres)"]
    print(f"{what:<28} {a:>9.1f} {b:>14.1f} {b / a:>6.2f}x")
PY
done
