#!/usr/bin/env bash
# Regenerates the text captures shown in the README, on a throw-away database at a fixed date:
# assets/cli-session.txt (a short command-line session) and assets/tui-main.txt,
# assets/tui-detail.txt, assets/tui-tree.txt, assets/tui-calendar.txt and
# assets/tui-reports.txt (the TUI's main screen, with the detail pane open, the tree view,
# the calendar and the reports; needs tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin tme
tme="$(pwd)/target/debug/tme"
home=$(mktemp -d)
socket="tme-capture-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$home"' EXIT
export HOME="$home" TZ=Europe/Berlin TME_NOW=2026-11-26T09:00:00+01:00 TME_CONFIG=/dev/null USER=ann
# Each command as it would be typed: words with spaces, quotes or a leading # are quoted, so that
# a line pasted into bash runs as shown.
shown() {
  local out="" word
  for word in "$@"; do
    if [[ $word =~ [[:space:]\#\'\"\$] ]]; then word="'${word//\'/\'\\\'\'}'"; fi
    out+=" $word"
  done
  printf '%s' "$out"
}
run() { printf '$ tme%s\n' "$(shown "$@")"; "$tme" "$@"; echo; }
{
  run add Pay rent '#Finance' due:eom every:monthly pri:H
  run add 'Review pull request #Work.Backend +review due:today est:45m'
  run add 'Write methods section #Research.Papers due:fri pri:M'
  run add 'Run ablation #Research.ML dep:4 est:3h'
  run add 'Buy coffee beans #Shopping +errand'
  run add 'Renew passport due:2026-11-20'
  run add 'Reply to reviewers #Research.Papers +email due:+2d pri:H'
  run add Stand-up due:10:00 every:weekday +team
  run start 3
  run list
  run done 'coffee beans'
  run undo
  run show 5
  run show 9
  run add 'Submit paper #Research.Papers due:2026-12-11'
  run modify 4 parent:11
  run dep add 11 5 --kind ff
  run tree
  run cal
  run agenda --days 7
  run report
  run history 2
} > assets/cli-session.txt 2>&1
"$tme" annotate 2 landlord changed bank >/dev/null

command -v tmux >/dev/null || { echo "tmux is not installed: the TUI captures were not made" >&2; exit 0; }
screen() {  # file to write
  local text=""
  for _ in $(seq 100); do
    text=$(tmux -L "$socket" capture-pane -p)
    [[ "$text" == *"pending ·"* ]] && break
    sleep 0.05
  done
  printf '%s\n' "$text" | sed -e 's/[[:space:]]*$//' > "$1"
}
tmux -L "$socket" new-session -d -x 100 -y 20 \
  "env -i TERM=xterm-256color HOME='$home' TZ=Europe/Berlin TME_NOW=$TME_NOW TME_CONFIG=/dev/null USER=ann '$tme'"
screen assets/tui-main.txt
tmux -L "$socket" send-keys j j Enter
sleep 0.5
screen assets/tui-detail.txt
tmux -L "$socket" send-keys Enter 2 g
sleep 0.5
screen assets/tui-tree.txt
tmux -L "$socket" send-keys 3
sleep 0.5
screen assets/tui-calendar.txt
tmux -L "$socket" send-keys 4
sleep 0.5
screen assets/tui-reports.txt
tmux -L "$socket" send-keys q
echo "wrote assets/cli-session.txt and assets/tui-{main,detail,tree,calendar,reports}.txt"
