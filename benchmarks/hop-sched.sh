#!/usr/bin/env bash
# Where the cluster hop's tail comes from (issue 7): the load of benchmarks/cluster-hop.sh (one
# agent, one worker, TASK open loop at RATE frames/s) with the kernel's scheduler traced for
# SECONDS in the middle of the measured run (`perf sched`, Debian's linux-perf). Prints, per
# thread, how long it ran and how long it waited for a core once it was runnable (average and
# worst): with the load generator's JVM and the agent's JVM on the same two cores, every hand-off
# between threads can wait for a core.
#
# Usage: benchmarks/hop-sched.sh [TASK] [RATE] [SECONDS]   (defaults: color 110 10)
set -euo pipefail
TASK="${1:-color}"
RATE="${2:-110}"
SECONDS_EACH="${3:-10}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if ! command -v perf >/dev/null 2>&1; then
  echo "installing Debian's linux-perf for the scheduler trace" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >&2
fi
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
"$ARGUS" bench --agents 1 --workers 1 --tasks "$TASK" --rate "$RATE" --seconds $((SECONDS_EACH + 20)) --warmup-seconds 60 \
  --out "$WORK/bench.json" >/dev/null 2>&1 &
bench=$!
sleep 70
perf sched record -o "$WORK/sched.data" -- sleep "$SECONDS_EACH" >/dev/null 2>&1
wait "$bench"
python3 -c "import json; r=json.load(open('$WORK/bench.json')); t=r['latency_ms']['total']; print(f\"load: {r['frames_per_second']} frames/s of {r['tasks']}, total latency p50 {t['p50']} ms, p99 {t['p99']} ms\")"
echo "scheduler, $SECONDS_EACH s in the middle of the run (threads of both JVMs that ran over 20 ms):"
perf sched latency -i "$WORK/sched.data" --sort max 2>/dev/null | awk -F'|' 'NR > 3 && NF > 5 {
  gsub(/^ +| +$/, "", $1); split($2, rt, " "); split($4, avg, " "); split($5, mx, " ");
  if (rt[1] + 0 >= 20) printf "  %-24s ran %8.1f ms  waited for a core: avg %6.3f ms, max %6.2f ms\n", $1, rt[1], avg[2], mx[2] }'
