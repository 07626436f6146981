#!/usr/bin/env bash
# The whole test suite with the system clock a year ahead and a year behind (faketime): no
# test may depend on today's date. The test binaries run at the other date; the tme processes
# the end-to-end tests start have a clean environment and their "now" pinned by TME_NOW (the
# one test of the real clock runs tme under faketime itself).
#
#   scripts/other-dates.sh            # +365d and -365d
#   scripts/other-dates.sh +30d       # any offsets faketime understands
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "other-dates.sh needs faketime (apt-get install faketime)" >&2; exit 2; }
offsets=("$@")
[ "${#offsets[@]}" -gt 0 ] || offsets=(+365d -365d)
# Built at the real date, so that cargo's file times make sense; then run at the others.
mapfile -t binaries < <(cargo test --workspace --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(m["executable"])')
failed=0
for offset in "${offsets[@]}"; do
  echo "== the clock at $offset"
  for binary in "${binaries[@]}"; do
    log=$(mktemp)
    faketime -f "$offset" "$binary" >"$log" 2>&1 || failed=1
    grep -E "^test result|FAILED|panicked" "$log" || true
    rm -f "$log"
  done
done
[ "$failed" -eq 0 ] && echo "every test passed at ${offsets[*]}"
exit "$failed"
