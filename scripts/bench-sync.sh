#!/usr/bin/env bash
# Sync through a real `tme serve`, whole processes, timed in one run: a new replica's first
# sync of a server holding SIZE tasks; a replica offline for COMMANDS commands syncing them
# (pushed, merged on the server, pulled back); another replica pulling those commands. Each
# figure is the median of RUNS syncs from the same starting point (the replica's file copied
# back before each).
#
#   scripts/bench-sync.sh                       # 100,000 tasks, 1,000 commands
#   SIZE=10000 COMMANDS=200 RUNS=3 scripts/bench-sync.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
size=${SIZE:-100000}
open=${OPEN:-20000}
commands=${COMMANDS:-1000}
runs=${RUNS:-5}
cargo build --release --quiet --bin tme --example fill
work=$(mktemp -d)
serve=
trap 'if [ -n "$serve" ]; then kill "$serve" 2>/dev/null; fi; rm -rf "$work"' EXIT
export TZ=UTC
tme() { "$root/target/release/tme" "$@"; }

mkdir -p "$work/server/home"
HOME="$work/server/home" "$root/target/release/examples/fill" "$work/server/tasks.redb" "$size" "$open" >/dev/null 2>&1
on_server() { HOME="$work/server/home" TME_CONFIG=/dev/null tme --db "$work/server/tasks.redb" "$@"; }
token=$(on_server token create bench --role write | grep '^tme_')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
start_server() {
    # The binary itself in the background (not a function), so that $! is the server.
    HOME="$work/server/home" TME_CONFIG=/dev/null "$root/target/release/tme" \
        --db "$work/server/tasks.redb" serve --listen "127.0.0.1:$port" >"$work/serve.out" 2>/dev/null &
    serve=$!
    for _ in $(seq 100); do grep -q http "$work/serve.out" 2>/dev/null && return; sleep 0.1; done
}
stop_server() {
    kill "$serve"
    wait "$serve" 2>/dev/null || true
}
start_server

replica() {
    mkdir -p "$work/$1/home"
    printf 'sync:\n  server: %s\n  machine: %s\n  auto: false\n' "$base" "$1" >"$work/$1/config.yaml"
}
on() {
    local name=$1
    shift
    HOME="$work/$name/home" TME_CONFIG="$work/$name/config.yaml" TME_SYNC_TOKEN="$token" \
        tme --db "$work/$name/tasks.redb" "$@"
}
ms() {
    local start
    start=$(date +%s%N)
    "$@" >/dev/null
    echo $((($(date +%s%N) - start) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

# Each sync of a run starts from the same replica file (and, for a push, the same server); the
# times go to a file, one a line (run in this shell, so that it can restart the server).
timed_sync() {
    local name=$1 keep_server=$2
    : >"$work/times"
    # A replica that has no file yet starts each run without one.
    rm -f "$work/$name.start"
    if [ -f "$work/$name/tasks.redb" ]; then cp "$work/$name/tasks.redb" "$work/$name.start"; fi
    if [ "$keep_server" = yes ]; then cp "$work/server/tasks.redb" "$work/server.start"; fi
    for _ in $(seq "$runs"); do
        rm -f "$work/$name/tasks.redb"
        if [ -f "$work/$name.start" ]; then cp "$work/$name.start" "$work/$name/tasks.redb"; fi
        if [ "$keep_server" = yes ]; then
            stop_server
            cp "$work/server.start" "$work/server/tasks.redb"
            start_server
        fi
        ms on "$name" sync >>"$work/times"
    done
}

replica first
timed_sync first no
first=$(median <"$work/times")
echo "first sync of $size tasks ($open open): ${first} ms"
on first sync >/dev/null
echo "  the new replica holds $(on first list --all --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))') tasks"

replica laptop
replica desk
on laptop sync >/dev/null
on desk sync >/dev/null
ids=$(on laptop list --json | python3 -c 'import json, sys
for task in json.load(sys.stdin)[: int(sys.argv[1])]: print(task["id"])' "$((commands / 2))")
for i in $(seq $((commands - commands / 2))); do on laptop add "Offline task $i" >/dev/null; done
for id in $ids; do on laptop modify "$id" pri:H +offline >/dev/null; done
waiting=$(on laptop sync --status | grep -o '^[0-9]* command(s)')
timed_sync laptop yes
push=$(median <"$work/times")
echo "a replica offline for $waiting syncing them: ${push} ms"
on laptop sync >/dev/null
timed_sync desk no
pull=$(median <"$work/times")
echo "another replica pulling them: ${pull} ms"
on desk sync >/dev/null
same() { on "$1" list --all --json | python3 -c 'import json, sys
tasks = sorted(json.load(sys.stdin), key=lambda t: t["id"])
for t in tasks: t.pop("urgency", None)
print(json.dumps(tasks, sort_keys=True))' | md5sum; }
if [ "$(same laptop)" = "$(same desk)" ]; then
    echo "  the two replicas hold the same tasks"
else
    echo "  the two replicas differ!" >&2
    exit 1
fi
