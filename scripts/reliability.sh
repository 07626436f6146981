#!/usr/bin/env bash
# The reliability suite, long form (`.ci/run` runs the short form inside `cargo test`):
#   - 100 crash trials: tme killed with SIGKILL during adds, a bulk modify, an import and
#     recurrence catch-up; each file must pass `tme check` and keep every reported change;
#   - a 60 s run of 4 writers, 2 readers and the TUI in tmux on one file;
#   - the bad-input corpus, disk trouble (needs root for a small tmpfs) and backups;
#   - hostile hooks and plugins, the untrusted working directory, restore under writers
#     (TRIALS times), and the whole suite under faketime a year ahead and behind;
#   - each cargo fuzz target for FUZZ_SECS (300 by default), starting from and adding to the
#     saved corpus in fuzz/seeds, which `cargo test` replays;
#   - cargo deny (licenses, bans, sources; advisories when the advisory database can be fetched).
#
#   scripts/reliability.sh                          # about 25 minutes on 2 cores
#   TRIALS=20 SECS=10 FUZZ_SECS=30 scripts/reliability.sh   # a quicker pass
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-100}
secs=${SECS:-60}
fuzz_secs=${FUZZ_SECS:-300}
for tool in tmux python3; do
  command -v "$tool" >/dev/null || { echo "reliability.sh needs $tool (apt-get install $tool)" >&2; exit 2; }
done

echo "== crash trials: $trials"
TME_CRASH_TRIALS=$trials cargo test --release --quiet --test cli crash -- --nocapture 2>&1 | grep -E "crash trials|test result"
echo "== concurrency: $secs s"
TME_CONCURRENCY_SECS=$secs cargo test --release --quiet --test cli four_writers -- --nocapture 2>&1 | grep -E "concurrency:|test result"
echo "== bad input, disk trouble, backups and restore under writers"
cargo test --release --quiet --test cli -- corpus disk backup 2>&1 | grep -E "test result"
echo "== hostile hooks and plugins, the working directory"
cargo test --release --quiet --test cli -- hostile workdir 2>&1 | grep -E "test result"
echo "== restore under writers, $trials times"
restore_fail=0
for _ in $(seq "$trials"); do
  cargo test --release --quiet --test cli a_restore_while_others_write 2>&1 | grep -q "1 passed" || restore_fail=$((restore_fail + 1))
done
echo "restore trials: $trials, failed: $restore_fail"
echo "== the whole suite a year ahead and a year behind"
scripts/other-dates.sh | tail -1

echo "== fuzzing, $fuzz_secs s per target"
command -v cargo-fuzz >/dev/null || cargo install --quiet cargo-fuzz
for target in capture filter dates import; do
  python3 - "$target" unpack <<'PY'
import json, os, sys, hashlib
target = sys.argv[1]
os.makedirs(f"fuzz/corpus/{target}", exist_ok=True)
for text in json.load(open(f"fuzz/seeds/{target}.json")):
    name = hashlib.sha1(text.encode()).hexdigest()
    open(f"fuzz/corpus/{target}/{name}", "w").write(text)
PY
  (cd fuzz && cargo fuzz run -s none "$target" -- -max_total_time="$fuzz_secs" -max_len=4096 2>&1 | grep -E "^Done|ERROR|panicked") 
  (cd fuzz && cargo fuzz cmin -s none "$target" >/dev/null 2>&1)
  python3 - "$target" <<'PY'
import json, os, sys
target = sys.argv[1]
texts = set()
for name in os.listdir(f"fuzz/corpus/{target}"):
    try:
        texts.add(open(f"fuzz/corpus/{target}/{name}", "rb").read().decode("utf-8"))
    except UnicodeDecodeError:
        pass
json.dump(sorted(texts), open(f"fuzz/seeds/{target}.json", "w"), ensure_ascii=False, indent=0)
print(f"{target}: {len(texts)} inputs kept in fuzz/seeds/{target}.json")
PY
done

echo "== cargo deny"
command -v cargo-deny >/dev/null || cargo install --quiet --locked cargo-deny
cargo deny check licenses bans sources
cargo deny check advisories || echo "advisories not checked: the advisory database could not be fetched (no network?)"
