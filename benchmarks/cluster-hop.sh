#!/usr/bin/env bash
# Cluster hop (issue 7): what going through an agent adds to a frame's latency, against running
# the same task on the same frames through the agent's own pipeline and worker in this JVM
# (bench --in-process). First the agent's capacity is measured closed loop (median of REPEATS);
# then both run open loop at half of it, REPEATS times each, alternating. Latency is capture to
# result (client-side JPEG encode included in both).
#
# Usage: benchmarks/cluster-hop.sh [TASK] [SECONDS] [REPEATS]   (defaults: color 20 3)
set -euo pipefail
TASK="${1:-color}"
SECONDS_EACH="${2:-20}"
REPEATS="${3:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for r in $(seq 1 "$REPEATS"); do
  "$ARGUS" bench --agents 1 --workers 1 --tasks "$TASK" --seconds 10 --warmup-seconds 3 --out "$WORK/cap-$r.json" >/dev/null 2>&1
  field "$WORK/cap-$r.json" "r['frames_per_second']" >>"$WORK/cap.txt"
done
CAP="$(median <"$WORK/cap.txt")"
RATE="$(python3 -c "print(round($CAP / 2, 1))")"
echo "capacity of one agent (1 worker, $TASK, closed loop): $CAP frames/s (runs: $(tr '\n' ' ' <"$WORK/cap.txt")); measuring at $RATE frames/s"
for r in $(seq 1 "$REPEATS"); do
  "$ARGUS" bench --in-process --workers 1 --tasks "$TASK" --rate "$RATE" --seconds "$SECONDS_EACH" --warmup-seconds 5 \
    --out "$WORK/local-$r.json" >/dev/null 2>&1
  "$ARGUS" bench --agents 1 --workers 1 --tasks "$TASK" --rate "$RATE" --seconds "$SECONDS_EACH" --warmup-seconds 5 \
    --out "$WORK/agent-$r.json" >/dev/null 2>&1
  for k in local agent; do
    echo "$k run $r: $(field "$WORK/$k-$r.json" "f\"{r['frames_per_second']} frames/s, dropped {r['dropped']}, p50 {r['latency_ms']['total']['p50']} ms, p99 {r['latency_ms']['total']['p99']} ms\"")"
    field "$WORK/$k-$r.json" "r['latency_ms']['total']['p50']" >>"$WORK/$k-p50.txt"
    field "$WORK/$k-$r.json" "r['latency_ms']['total']['p99']" >>"$WORK/$k-p99.txt"
  done
done
L50="$(median <"$WORK/local-p50.txt")"; L99="$(median <"$WORK/local-p99.txt")"
A50="$(median <"$WORK/agent-p50.txt")"; A99="$(median <"$WORK/agent-p99.txt")"
echo "medians: in-process p50 $L50 ms p99 $L99 ms; through the agent p50 $A50 ms p99 $A99 ms"
python3 -c "print(f'added by the cluster hop: p50 {$A50 - $L50:+.2f} ms, p99 {$A99 - $L99:+.2f} ms')"
