#!/usr/bin/env bash
# Cluster hop (issue 7): what going through an agent adds to a frame's latency, against running
# the same task on the same frames through the agent's own pipeline and worker in this JVM
# (bench --in-process). First the agent's capacity is measured closed loop (median of REPEATS);
# then both run open loop at half of it, REPEATS times each, alternating. Latency is capture to
# result (client-side JPEG encode included in both).
#
# Every run warms up for WARMUP seconds first: the JIT is still compiling after 20 s, in both JVMs
# (with 20 s the added p99 was 8-14 ms, with 60 s 4-5 ms, on the same build).
# Each run also writes a per-frame trace (bench --trace); the slowest 1% of frames of the runs
# through the agent are summed up by stage at the end, to show where the tail comes from.
#
# Usage: benchmarks/cluster-hop.sh [TASK] [SECONDS] [REPEATS] [WARMUP]   (defaults: color 30 3 60)
set -euo pipefail
TASK="${1:-color}"
SECONDS_EACH="${2:-30}"
REPEATS="${3:-3}"
WARMUP="${4:-60}"
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
  "$ARGUS" bench --agents 1 --workers 1 --tasks "$TASK" --seconds 10 --warmup-seconds "$WARMUP" --out "$WORK/cap-$r.json" >/dev/null 2>&1
  field "$WORK/cap-$r.json" "r['frames_per_second']" >>"$WORK/cap.txt"
done
CAP="$(median <"$WORK/cap.txt")"
RATE="$(python3 -c "print(round($CAP / 2, 1))")"
echo "capacity of one agent (1 worker, $TASK, closed loop): $CAP frames/s (runs: $(tr '\n' ' ' <"$WORK/cap.txt")); measuring at $RATE frames/s"
for r in $(seq 1 "$REPEATS"); do
  "$ARGUS" bench --in-process --workers 1 --tasks "$TASK" --rate "$RATE" --seconds "$SECONDS_EACH" --warmup-seconds "$WARMUP" \
    --out "$WORK/local-$r.json" --trace "$WORK/local-$r.csv" >/dev/null 2>&1
  "$ARGUS" bench --agents 1 --workers 1 --tasks "$TASK" --rate "$RATE" --seconds "$SECONDS_EACH" --warmup-seconds "$WARMUP" \
    --out "$WORK/agent-$r.json" --trace "$WORK/agent-$r.csv" >/dev/null 2>&1
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
python3 - "$WORK" "$REPEATS" <<'PY'
# stage percentiles over all runs, and which stage is furthest above its median in the slowest 1%
import csv, glob, sys, collections
work, repeats = sys.argv[1], int(sys.argv[2])
def load(kind):
    rows = []
    for f in sorted(glob.glob(f"{work}/{kind}-*.csv")):
        rows += list(csv.DictReader(open(f)))
    return rows
def stages(r):
    enc, c2a, agent, total = (int(r[k]) for k in ("encode_us", "capture_to_agent_us", "agent_us", "total_us"))
    out = {"encode": enc, "queue": int(r["queue_us"]), "decode": int(r["decode_us"]), "task": int(r["task_us"]), "total": total}
    if c2a >= 0:
        out["send"] = c2a - enc
        out["return"] = total - c2a - agent
    return out
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(len(v) * p))] / 1000
for kind in ("local", "agent"):
    rows = [stages(r) for r in load(kind)]
    if not rows:
        continue
    print(f"{kind}: {len(rows)} frames; stage p50 / p99 ms: " + ", ".join(
        f"{k} {pct([s[k] for s in rows], .5):.2f} / {pct([s[k] for s in rows], .99):.2f}" for k in rows[0]))
    if kind == "agent":
        med = {k: sorted(s[k] for s in rows)[len(rows) // 2] for k in rows[0]}
        cut = sorted(s["total"] for s in rows)[int(len(rows) * .99)]
        slow = [s for s in rows if s["total"] >= cut]
        worst = collections.Counter(max((k for k in s if k != "total"), key=lambda k: s[k] - med[k]) for s in slow)
        print(f"slowest 1% through the agent ({len(slow)} frames): the stage furthest above its median is "
              + ", ".join(f"{k} in {n}" for k, n in worst.most_common()))
PY
