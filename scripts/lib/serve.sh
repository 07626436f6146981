# Sourced by the scripts that load `tme serve`: `start_server TME DB_ARGS…` starts it on a free
# port of loopback and returns once it answers, leaving its address in `$base` and its process
# in `$server`.
start_server() {
  local tme=$1
  shift
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$tme" "$@" serve --listen "127.0.0.1:$port" >/dev/null 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  until curl -sf "$base/api/v1/health" >/dev/null; do sleep 0.1; done
}
