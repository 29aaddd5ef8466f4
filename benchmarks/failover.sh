#!/usr/bin/env bash
# Failover time: from SIGKILL of the agent serving a stream to the next result of that stream
# from another agent, for a managed stream (pulled by the agent; recovery waits for ZooKeeper to
# expire the dead agent's session, then the leader reassigns) and a client-fed stream (the client
# sees the socket die and resends its window to the other agent). ROUNDS rounds (default 5) of
# each, the sample clip (managed: at its own 10 fps media clock; client-fed: --fps 25) with `people`, a development ZooKeeper, one coordinator and two
# fresh agents per round, all separate JVMs on loopback. Agent session timeout: SESSION_MS
# (default 6000, the product default).
#
#   benchmarks/failover.sh [ROUNDS] [SESSION_MS]
#
# Managed-stream times are taken by `argus watch`, which re-finds the stream's agent every 200 ms:
# up to 200 ms of each managed figure is the watcher, not the cluster.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-5}"
SESSION_MS="${2:-6000}"
ARGUS="$ROOT/bin/argus"
CLIP="$ROOT/assets/video/vtest.avi"
WORK="$(mktemp -d)"
# the development ZooKeeper requires the cluster credentials it writes in its data folder (README, "Security")
AUTH=(--zk-auth-file "$WORK/zk/zk-auth")
PORT=$((20000 + RANDOM % 20000))
HTTP=$((PORT + 1))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
"$ARGUS" zk --port "$PORT" --data-dir "$WORK/zk" >"$WORK/zk.log" 2>&1 & pids+=($!)
until grep -q ZK-READY "$WORK/zk.log"; do sleep 0.2; done
ZK="127.0.0.1:$PORT"
"$ARGUS" coordinator --zk "$ZK" "${AUTH[@]}" --http-port "$HTTP" --data-dir "$WORK/co" --session-timeout-ms "$SESSION_MS" \
  >"$WORK/co.log" 2>&1 & pids+=($!)
until grep -q COORDINATOR-READY "$WORK/co.log"; do sleep 0.2; done

start_agent() { # name
  "$ARGUS" agent --zk "$ZK" "${AUTH[@]}" --name "$1" --bind 127.0.0.1 --advertise-host 127.0.0.1 --workers 1 \
    --session-timeout-ms "$SESSION_MS" >"$WORK/$1.log" 2>&1 & pids+=($!)
  until grep -q AGENT-READY "$WORK/$1.log"; do sleep 0.2; done
}
kill_agent() { # name; prints the kill time in epoch ms
  local pid; pid="$(pgrep -f "argus-agent.jar.*--name $1( |$)" | head -1)"
  kill -9 "$pid"; date +%s%3N
}
stop_agent() { pkill -f "argus-agent.jar.*--name $1( |$)" 2>/dev/null || true; }
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
# first result after the kill from another agent: its at_ms minus the kill time
gap() { # file victim killed_ms
  python3 -c '
import json, sys
victim, killed = sys.argv[2], int(sys.argv[3])
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "at_ms" in r and r["at_ms"] > killed and r.get("agent") not in (None, victim) and "error" not in r:
        print(r["at_ms"] - killed); break
else:
    print("none")' "$@"
}

for r in $(seq 1 "$ROUNDS"); do
  # managed stream
  start_agent "m$r-a"; start_agent "m$r-b"
  "$ARGUS" stream add "fo$r" --zk "$ZK" "${AUTH[@]}" --url "$CLIP" --loop --tasks people >/dev/null
  "$ARGUS" watch "fo$r" --zk "$ZK" "${AUTH[@]}" --out "$WORK/w$r.jsonl" --seconds 60 2>/dev/null & wpid=$!; pids+=($wpid)
  until [ "$(lines "$WORK/w$r.jsonl")" -ge 50 ]; do sleep 0.2; done
  owner="$(sed -n 40p "$WORK/w$r.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agent"])')"
  killed="$(kill_agent "$owner")"
  for _ in $(seq 1 300); do [ "$(gap "$WORK/w$r.jsonl" "$owner" "$killed")" != none ] && break; sleep 0.1; done
  echo "managed round=$r gap_ms=$(gap "$WORK/w$r.jsonl" "$owner" "$killed")"
  "$ARGUS" stream rm "fo$r" --zk "$ZK" "${AUTH[@]}" >/dev/null 2>&1 || true
  kill "$wpid" 2>/dev/null || true
  stop_agent "m$r-a"; stop_agent "m$r-b"; sleep 1

  # client-fed stream
  start_agent "c$r-a"; start_agent "c$r-b"
  "$ARGUS" analyze --zk "$ZK" "${AUTH[@]}" --source "$CLIP" --fps 25 --tasks people --no-progress --out "$WORK/a$r.jsonl" \
    2>/dev/null & apid=$!; pids+=($apid)
  until [ "$(lines "$WORK/a$r.jsonl")" -ge 100 ]; do sleep 0.2; done
  owner="$(sed -n 90p "$WORK/a$r.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agent"])')"
  killed="$(kill_agent "$owner")"
  wait "$apid" || true
  echo "client-fed round=$r gap_ms=$(gap "$WORK/a$r.jsonl" "$owner" "$killed")"
  stop_agent "c$r-a"; stop_agent "c$r-b"; sleep 1
done | tee "$WORK/rounds.txt"
for kind in managed client-fed; do
  grep "^$kind " "$WORK/rounds.txt" | sed 's/.*gap_ms=//' | grep -v none | sort -n | awk -v k="$kind" \
    '{ a[NR]=$1 } END { if (NR) printf "%s: median %d ms, min %d, max %d over %d rounds\n", k, a[int((NR+1)/2)], a[1], a[NR], NR }'
done
