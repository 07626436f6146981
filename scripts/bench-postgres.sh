#!/usr/bin/env bash
# Whole-process benchmark of the same commands on a redb file and on PostgreSQL over loopback,
# side by side in one run: `tme add`, `tme next --limit 50`, `tme list --limit 50` and the
# report summary, on SIZE tasks of which OPEN are open (the rest completed over three years).
# The PostgreSQL database is the redb one copied with `tme copy`, so both hold the same tasks.
#
#   scripts/bench-postgres.sh                        # 1,000,000 tasks, 5,000 open
#   SIZE=20000 OPEN=5000 scripts/bench-postgres.sh   # smaller
#   TME_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres (the default): a server
#   the script may create and drop a database on. Needs hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
size=${SIZE:-1000000}
open=${OPEN:-5000}
runs=${RUNS:-20}
admin=${TME_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v hyperfine >/dev/null || { echo "bench-postgres.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
command -v psql >/dev/null || { echo "bench-postgres.sh needs psql (apt-get install postgresql-client)" >&2; exit 2; }
work=$(mktemp -d)
name="tme_bench_$$"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT
cargo build --release --quiet --bin tme --example fill
tme="$root/target/release/tme"
"$root/target/release/examples/fill" "$work/tasks.redb" "$size" "$open"
psql "$admin" -qc "CREATE DATABASE $name" >/dev/null
pg="${admin%/*}/$name"
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
mkdir -p "$HOME"
echo "copying $size tasks into PostgreSQL…"
start=$(date +%s.%N)
"$tme" --db "$work/tasks.redb" copy --to "$pg"
echo "copy took $(echo "$(date +%s.%N) - $start" | bc) s"
cases=()
for backend in redb postgres; do
  if [ "$backend" = redb ]; then db=(--db "$work/tasks.redb"); else db=(); fi
  prefix=""
  [ "$backend" = postgres ] && prefix="TME_DATABASE_URL=$pg "
  cases+=(-n "tme add ($backend)" "$prefix$tme ${db[*]} add Benchmark task project:Bench due:tomorrow")
  cases+=(-n "tme next --limit 50 ($backend)" "$prefix$tme ${db[*]} next --limit 50")
  cases+=(-n "tme list --limit 50 ($backend)" "$prefix$tme ${db[*]} list --limit 50")
  cases+=(-n "tme report ($backend)" "$prefix$tme ${db[*]} report")
done
hyperfine --warmup 2 --runs "$runs" --export-json "$work/results.json" --style basic "${cases[@]}" >/dev/null
python3 - "$work/results.json" <<'PY'
import json, sys
results = {r["command"]: r["mean"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':<24} {'redb ms':>9} {'PostgreSQL ms':>14} {'ratio':>7}")
for what in ["tme add", "tme next --limit 50", "tme list --limit 50", "tme report"]:
    a, b = results[f"{what} (redb)"], results[f"{what} (postgres)"]
    print(f"{what:<24} {a:>9.1f} {b:>14.1f} {b / a:>6.2f}x")
PY
