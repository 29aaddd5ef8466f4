#!/usr/bin/env bash
# Memory check: one agent process serves 10 loops of the sample clip (7950 frames, tasks color
# and faces); its RSS is sampled after every loop. Prints the samples and the drift between the
# end of the first loop and the end of the last.
#
#   benchmarks/agent-rss.sh [LOOPS] [TASKS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOOPS="${1:-10}"
TASKS="${2:-color,faces}"
ARGUS="$ROOT/bin/argus"
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
"$ARGUS" agent --zk "127.0.0.1:$PORT" "${AUTH[@]}" --name rss --bind 127.0.0.1 \
  --advertise-host 127.0.0.1 >"$WORK/agent.log" 2>&1 & pids+=($!)
until grep -q AGENT-READY "$WORK/agent.log"; do sleep 0.2; done
AGENT_PID="$(pgrep -f 'argus-agent.jar.*--name rss' | head -1)"
rss() { awk '/VmRSS/ {print $2}' "/proc/$AGENT_PID/status"; }
echo "loop,frames,agent_rss_kb"
echo "0,0,$(rss)"
for i in $(seq 1 "$LOOPS"); do
  "$ARGUS" analyze --zk "127.0.0.1:$PORT" "${AUTH[@]}" --source "$ROOT/assets/video/vtest.avi" --tasks "$TASKS" \
    --no-progress --out "$WORK/out.jsonl" 2>/dev/null
  frames="$(tail -1 "$WORK/out.jsonl" | sed 's/.*"frames":\([0-9]*\).*/\1/')"
  echo "$i,$frames,$(rss)"
done | tee "$WORK/rss.csv"
first="$(sed -n 1p "$WORK/rss.csv" | cut -d, -f3)"
last="$(tail -1 "$WORK/rss.csv" | cut -d, -f3)"
awk -v a="$first" -v b="$last" 'BEGIN { printf "RSS after loop 1: %d MB, after the last loop: %d MB, drift %+.1f%%\n", a/1024, b/1024, (b-a)*100/a }'
