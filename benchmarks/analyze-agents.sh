#!/usr/bin/env bash
# Foundation benchmark: `argus analyze` on the sample clip against one and two agent processes.
#
#   benchmarks/analyze-agents.sh [REPEATS]
#
# Starts a development ZooKeeper and agents as separate JVMs on loopback, then runs analyze with
# --tasks noop and --tasks color, for 1 stream and 2 streams, REPEATS times each (default 3), and
# prints the median frames/s and latency percentiles of each configuration.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPEATS="${1:-3}"
ARGUS="$ROOT/bin/argus"
CLIP="$ROOT/assets/video/vtest.avi"
WORK="$(mktemp -d)"
# the development ZooKeeper requires the cluster credentials it writes in its data folder (README, "Security")
AUTH=(--zk-auth-file "$WORK/zk/zk-auth")
PORT=$((20000 + RANDOM % 20000))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1   # the jars must not change under running processes
"$ARGUS" zk --port "$PORT" --data-dir "$WORK/zk" >"$WORK/zk.log" 2>&1 & pids+=($!)
until grep -q ZK-READY "$WORK/zk.log"; do sleep 0.2; done
ZK="127.0.0.1:$PORT"

start_agents() { # count workers
  for i in $(seq 1 "$1"); do
    "$ARGUS" agent --zk "$ZK" "${AUTH[@]}" --name "bench-$1-$i" --bind 127.0.0.1 --advertise-host 127.0.0.1 \
      --workers "$2" >"$WORK/agent-$1-$i.log" 2>&1 & agent_pids+=($!); pids+=($!)
    until grep -q AGENT-READY "$WORK/agent-$1-$i.log"; do sleep 0.2; done
  done
}
stop_agents() { for p in "${agent_pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done; agent_pids=(); }

run() { # label tasks streams
  local label="$1" tasks="$2" streams="$3" srcs=()
  for _ in $(seq 1 "$streams"); do srcs+=(--source "$CLIP"); done
  for r in $(seq 1 "$REPEATS"); do
    "$ARGUS" analyze --zk "$ZK" "${AUTH[@]}" --tasks "$tasks" "${srcs[@]}" --no-progress --out "$WORK/out.jsonl" 2>/dev/null
    tail -1 "$WORK/out.jsonl" | sed "s/^/$label\t/" >>"$WORK/results.tsv"
  done
}

agent_pids=()
start_agents 1 2
run "1 agent (2 workers), 1 stream, noop" noop 1
run "1 agent (2 workers), 1 stream, color" color 1
run "1 agent (2 workers), 2 streams, noop" noop 2
run "1 agent (2 workers), 2 streams, color" color 2
stop_agents
start_agents 2 1
run "2 agents (1 worker each), 1 stream, noop" noop 1
run "2 agents (1 worker each), 1 stream, color" color 1
run "2 agents (1 worker each), 2 streams, noop" noop 2
run "2 agents (1 worker each), 2 streams, color" color 2
stop_agents

python3 - "$WORK/results.tsv" <<'PY'
import json, sys, statistics, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    label, js = line.rstrip("\n").split("\t", 1)
    rows.setdefault(label, []).append(json.loads(js)["summary"])
print("| configuration | runs | frames | errors | frames/s (median) | p50 ms | p95 ms | p99 ms |")
print("|---|---|---|---|---|---|---|---|")
for label, s in rows.items():
    med = lambda k: statistics.median(x[k] for x in s)
    lat = lambda k: statistics.median(x["latency_ms"][k] for x in s)
    print(f"| {label} | {len(s)} | {int(med('frames'))} | {int(med('errors'))} | {med('fps'):.1f} | {lat('p50'):.1f} | {lat('p95'):.1f} | {lat('p99'):.1f} |")
PY
