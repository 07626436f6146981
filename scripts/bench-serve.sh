#!/usr/bin/env bash
# Load on `tme serve` over loopback, on a redb file and on PostgreSQL, side by side in one
# run: 50 clients for DURATION (60 s), 40 of them (80 %) reading (half `GET
# /api/v1/tasks?limit=50`, half `GET /api/v1/tasks/{id}`) and 10 (20 %) writing (`POST
# /api/v1/tasks`), with two wrk processes at once, so that reads and writes are timed apart.
# Prints requests per second, p50 and p99 latency and the answers that were not 2xx of each,
# then checks that every write answered 201 is in the database (no lost write; a few more may
# be, whose answers were still on their way when wrk stopped).
#
#   scripts/bench-serve.sh                        # 10,000 tasks of which 1,000 open
#   DURATION=10s SIZE=2000 OPEN=200 scripts/bench-serve.sh
#   BACKENDS=redb scripts/bench-serve.sh          # one backend only
#   TME_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres (the default)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh
root=$(pwd)
duration=${DURATION:-60s}
size=${SIZE:-10000}
open=${OPEN:-1000}
admin=${TME_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
for tool in wrk psql curl; do
  command -v "$tool" >/dev/null || { echo "bench-serve.sh needs $tool (apt-get install $tool)" >&2; exit 2; }
done
work=$(mktemp -d)
name="tme_bench_serve_$$"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cargo build --release --quiet --bin tme --example fill
tme="$root/target/release/tme"
export HOME="$work/home" TZ=UTC TME_CONFIG=/dev/null
mkdir -p "$HOME"
"$root/target/release/examples/fill" "$work/tasks.redb" "$size" "$open" >/dev/null 2>&1
psql "$admin" -qc "CREATE DATABASE $name" >/dev/null
pg="${admin%/*}/$name"
"$tme" --db "$work/tasks.redb" copy --to "$pg" >/dev/null

# Readers: half `GET /api/v1/tasks?limit=50`, half `GET /api/v1/tasks/{id}`; writers: `POST
# /api/v1/tasks`, each thread counting the writes answered 201. Both print one RESULT line.
cat > "$work/load.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  n = 0
  created = 0
  token = os.getenv("TOKEN")
  top = tonumber(os.getenv("TOP"))
  writes = os.getenv("WRITES") == "1"
end
function request()
  n = n + 1
  local headers = { ["Authorization"] = "Bearer " .. token }
  if writes then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/tasks", headers, '{"capture":"Load test +loadtest"}')
  elseif n % 2 == 0 then
    return wrk.format("GET", "/api/v1/tasks?limit=50", headers)
  else
    return wrk.format("GET", "/api/v1/tasks/" .. math.random(1, top), headers)
  end
end
function response(status, headers, body)
  if status == 201 then created = created + 1 end
end
function done(summary, latency, requests)
  local made = 0
  for _, t in ipairs(threads) do made = made + t:get("created") end
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d %d %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    made))
end
LUA

echo "tme serve: $size tasks, $open open; for $duration at once 40 connections reading and 10 writing"
printf '%-10s %-7s %9s %10s %9s %9s %9s %8s %s\n' backend load requests 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' errors 'writes'
for backend in ${BACKENDS:-redb postgres}; do
  if [ "$backend" = redb ]; then db=(--db "$work/tasks.redb"); else db=(--db "$pg"); fi
  secret=$("$tme" "${db[@]}" token create "bench-$backend" --role write | tail -1)
  start_server "$tme" "${db[@]}"
  before=$("$tme" "${db[@]}" list +loadtest --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  TOKEN=$secret TOP=$size WRITES=1 wrk -t1 -c10 -d"$duration" --latency -s "$work/load.lua" \
    "$base" | grep '^RESULT' > "$work/writes" &
  writer=$!
  TOKEN=$secret TOP=$size wrk -t2 -c40 -d"$duration" --latency -s "$work/load.lua" \
    "$base" | grep '^RESULT' > "$work/reads"
  wait "$writer"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  after=$("$tme" "${db[@]}" list +loadtest --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  for load in reads writes; do
    read -r _ requests rps p50 p99 status errors made < "$work/$load"
    kept=""
    if [ "$load" = writes ]; then
      kept="$((after - before)) kept, $made answered 201"
      [ "$((after - before))" -ge "$made" ] || { echo "$backend lost writes: $kept" >&2; exit 1; }
    fi
    printf '%-10s %-7s %9s %10s %9s %9s %9s %8s %s\n' "$backend" "$load" "$requests" "$rps" "$p50" "$p99" "$status" "$errors" "$kept"
  done
done
