# Sourced by the benchmark scripts, not run. first_frame_ms SOCKET RUNS COMMAND TEXT starts
# COMMAND RUNS times, each in a new window of the tmux server on SOCKET, and prints (one line a
# start) the milliseconds until its screen shows TEXT.
first_frame_ms() {
  local socket=$1 runs=$2 command=$3 text=$4 i start end
  for i in $(seq "$runs"); do
    start=$(date +%s%N)
    tmux -L "$socket" new-window -d -n "run$i" "$command"
    until [[ "$(tmux -L "$socket" capture-pane -t ":run$i" -p 2>/dev/null)" == *"$text"* ]]; do sleep 0.002; done
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
    tmux -L "$socket" kill-window -t ":run$i"
  done
}
