#!/usr/bin/env bash
# Gateway throughput: a development ZooKeeper, one coordinator and two agents as separate JVMs on
# loopback; GatewayLoad then POSTs a 640x480-class JPEG (messi5.jpg) for each task set at
# concurrency 1, 4 and 16, SECONDS each (default 15), REPEATS times (default 3). `noop` is the
# baseline: it costs the HTTP parse, JPEG header check, the agent round trip and the merge, so
# the ratio to it shows what the vision work adds.
#
#   benchmarks/gateway-load.sh [SECONDS] [REPEATS] [AGENTS] [TASK SETS]
#
# AGENTS (default 2) agent processes with one worker each; TASK SETS (default "noop color faces").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_EACH="${1:-15}"
REPEATS="${2:-3}"
AGENTS="${3:-2}"
TASK_SETS="${4:-noop color faces}"
ARGUS="$ROOT/bin/argus"
IMAGE="$ROOT/assets/images/faces/messi5.jpg"
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
"$ARGUS" coordinator --zk "$ZK" "${AUTH[@]}" --http-port "$HTTP" --data-dir "$WORK/co" --rate 100000 >"$WORK/co.log" 2>&1 & pids+=($!)
for i in $(seq 1 "$AGENTS"); do
  "$ARGUS" agent --zk "$ZK" "${AUTH[@]}" --name "gw-$i" --bind 127.0.0.1 --advertise-host 127.0.0.1 --workers 1 >"$WORK/agent-$i.log" 2>&1 & pids+=($!)
done
until grep -q COORDINATOR-READY "$WORK/co.log"; do sleep 0.2; done
for i in $(seq 1 "$AGENTS"); do until grep -q AGENT-READY "$WORK/agent-$i.log"; do sleep 0.2; done; done
until curl -sf "http://127.0.0.1:$HTTP/v1/agents" | grep -q "gw-$AGENTS"; do sleep 0.5; done
CP="$ROOT/benchmarks/target/argus-benchmarks.jar"
for tasks in $TASK_SETS; do
  for c in 1 4 16; do
    for r in $(seq 1 "$REPEATS"); do
      java -cp "$CP" io.argus.bench.GatewayLoad "http://127.0.0.1:$HTTP" "$IMAGE" "$tasks" "$c" "$SECONDS_EACH"
    done
  done
done | tee "$WORK/runs.txt"
echo "medians over $REPEATS runs, $AGENTS agent(s):"
awk '{ split($0, f, " "); key=f[1]" "f[2]; for (i in f) { split(f[i], kv, "="); v[kv[1]]=kv[2] }
       n[key]++; ok[key, n[key]]=v["ok_per_s"]; p50[key, n[key]]=v["p50_ms"]; p99[key, n[key]]=v["p99_ms"] }
     function med(a, k, m,   i, j, t, x) { for (i=1;i<=m;i++) x[i]=a[k,i]; for (i=1;i<=m;i++) for (j=i+1;j<=m;j++) if (x[j]+0<x[i]+0) { t=x[i]; x[i]=x[j]; x[j]=t } return x[int((m+1)/2)] }
     END { for (k in n) printf "%s ok_per_s=%s p50_ms=%s p99_ms=%s\n", k, med(ok,k,n[k]), med(p50,k,n[k]), med(p99,k,n[k]) }' "$WORK/runs.txt" | sort
