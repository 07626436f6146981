#!/usr/bin/env bash
# Regenerates assets/cli-session.txt, the text capture of a short TME session shown in the
# README, on a throw-away database at a fixed date.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin tme
tme="$(pwd)/target/debug/tme"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" TZ=Europe/Berlin TME_NOW=2026-11-26T09:00:00+01:00 TME_CONFIG=/dev/null USER=ann
run() { printf '$ tme %s\n' "$*"; "$tme" "$@"; echo; }
{
  run add Pay rent '#Finance' due:eom every:monthly pri:H
  run add 'Review pull request #Work.Backend +review due:today est:45m'
  run add 'Write methods section #Research.Papers due:fri pri:M'
  run add 'Run ablation #Research.ML dep:3 est:3h'
  run add 'Buy coffee beans #Shopping +errand'
  run add 'Renew passport due:2026-11-20'
  run start 2
  run list
  run done 'coffee beans'
  run undo
  run show 4
} > assets/cli-session.txt 2>&1
echo "wrote assets/cli-session.txt"
