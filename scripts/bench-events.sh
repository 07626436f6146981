#!/usr/bin/env bash
# The event stream under subscribers: SUBSCRIBERS (100) clients on `GET /api/v1/events` of one
# `tme serve`, then COMMANDS (20) `tme add`s from other processes; a second after the last,
# how many events each subscriber got (every one should have all of them).
#
#   scripts/bench-events.sh
#   SUBSCRIBERS=200 COMMANDS=50 scripts/bench-events.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh
subscribers=${SUBSCRIBERS:-100}
commands=${COMMANDS:-20}
command -v curl >/dev/null || { echo "bench-events.sh needs curl (apt-get install curl)" >&2; exit 2; }
cargo build --release --quiet --bin tme
tme="$(pwd)/target/release/tme"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work" TZ=UTC TME_CONFIG=/dev/null
db=(--db "$work/tasks.redb")
"$tme" "${db[@]}" add "First task" >/dev/null
secret=$("$tme" "${db[@]}" token create listener --role read | tail -1)
start_server "$tme" "${db[@]}"
for i in $(seq 1 "$subscribers"); do
  curl -s -N -H "Authorization: Bearer $secret" "$base/api/v1/events" \
    > "$work/subscriber.$i" &
done
sleep 1
start=$(date +%s.%N)
for i in $(seq 1 "$commands"); do "$tme" "${db[@]}" add "Event $i" >/dev/null; done
took=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
sleep 1
counts=$(for i in $(seq 1 "$subscribers"); do grep -c '^id:' "$work/subscriber.$i" || true; done | sort -n)
echo "$commands commands in $took s; events per subscriber a second later:" \
  "fewest $(head -1 <<<"$counts"), most $(tail -1 <<<"$counts") (of $commands), $subscribers subscribers"
