#!/usr/bin/env bash
# Times every `tme report` on a million tasks with about 2.4 million journal entries (three
# years of added, started, completed and deleted tasks; made once by examples/history.rs),
# whole process, with hyperfine. `tme status` runs in the same batch as a yardstick.
#
#   scripts/bench-reports.sh                      # makes /tmp/tme-reports/1m.redb the first time
#   RUNS=10 BENCH_DIR=/somewhere scripts/bench-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
work="${BENCH_DIR:-/tmp/tme-reports}"
runs="${RUNS:-5}"
mkdir -p "$work"
cargo build --release --quiet --bin tme --example history
[ -f "$work/1m.redb" ] || target/release/examples/history "$work/1m.redb" 1000000
tme="$(pwd)/target/release/tme"
export HOME="$work" TME_DATABASE_URL="$work/1m.redb" TME_NOW=2026-11-26T09:00:00+01:00 TZ=Europe/Berlin
commands=()
for name in summary throughput leadtime cycletime burndown flow overdue recurring estimates oldest; do
  commands+=("$tme report $name --range all")
done
commands+=("$tme report throughput --range 30d" "$tme status")
hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$work/reports.md" "${commands[@]}"
echo "table written to $work/reports.md"
