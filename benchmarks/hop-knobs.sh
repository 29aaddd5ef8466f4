#!/usr/bin/env bash
# Cluster hop, what scheduling and memory knobs do to its tail (issue 7): the run of
# cluster-hop.sh (one agent, one worker, open loop at RATE) repeated with one knob changed at a
# time, variants alternating, REPEATS times each, every frame traced. Variants:
#   local    the in-process baseline (bench --in-process)
#   base     through the agent as cluster-hop.sh runs it
#   nice     the agent's worker thread at nice -10 (renice on its thread id)
#   fifo     the agent's worker thread SCHED_FIFO priority 10 (chrt): no normal thread can take its core
#   pin      the agent's worker thread pinned to CPU 1 (taskset), so that it never migrates
#   arena16  the agent with MALLOC_ARENA_MAX=16 (glibc's default on 2 cores) instead of 2
#   heap1g   the agent with a 1 GB heap instead of 256 MB
# For each variant it prints the median over repeats of the total p50 and p99, then the p99 of each
# stage: client encode, send (client write to agent read), the agent queue, the worker's service
# time per frame (decode + task) and return (agent write to client read), with the share of
# 20-frame windows whose mean service time exceeds the arrival interval (the queue grows in them).
# nice, fifo and pin need root (or CAP_SYS_NICE); the variants are applied to the thread once the
# agent has started it, before the warm-up ends.
#
# Usage: benchmarks/hop-knobs.sh [RATE] [SECONDS] [REPEATS] [WARMUP] [VARIANTS...]
#        (defaults: 86.5 20 3 40 local base nice fifo pin arena16 heap1g)
set -euo pipefail
RATE="${1:-86.5}"; SECONDS_EACH="${2:-20}"; REPEATS="${3:-3}"; WARMUP="${4:-40}"
shift $(( $# < 4 ? $# : 4 ))
VARIANTS=("$@"); [ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(local base nice fifo pin arena16 heap1g)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; kill $(jobs -p) 2>/dev/null || true' EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
# applies a variant to every argus-worker thread of the agent process, once each, until killed
tweak_worker() {
  local seen=" "
  while true; do
    for p in $(pgrep -f "ArgusLauncher agent" || true); do
      for t in /proc/"$p"/task/*; do
        local tid="${t##*/}"
        [[ "$seen" == *" $tid "* ]] && continue
        [[ "$(cat "$t/comm" 2>/dev/null)" == argus-worker* ]] || continue
        case "$1" in
          nice) renice -n -10 -p "$tid" >/dev/null ;;
          fifo) chrt -f -p 10 "$tid" ;;
          pin) taskset -p -c 1 "$tid" >/dev/null ;;
        esac
        seen="$seen$tid "
      done
    done
    sleep 0.5
  done
}
for r in $(seq 1 "$REPEATS"); do
  for v in "${VARIANTS[@]}"; do
    envs=(); where=(--agents 1); tweaker=""
    case "$v" in
      local) where=(--in-process) ;;
      arena16) envs=(MALLOC_ARENA_MAX=16) ;;
      heap1g) envs=("ARGUS_AGENT_JAVA_OPTS=-Xms1g -Xmx1g") ;;
      nice|fifo|pin) tweak_worker "$v" & tweaker=$! ;;
      base) ;;
      *) echo "unknown variant $v" >&2; exit 2 ;;
    esac
    env "${envs[@]}" "$ARGUS" bench "${where[@]}" --workers 1 --tasks color --rate "$RATE" --seconds "$SECONDS_EACH" \
      --warmup-seconds "$WARMUP" --out "$WORK/$v-$r.json" --trace "$WORK/$v-$r.csv" >/dev/null 2>&1
    [ -z "$tweaker" ] || { kill "$tweaker"; wait "$tweaker" 2>/dev/null || true; }
    echo "$v run $r: p99 $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['latency_ms']['total']['p99'])" "$WORK/$v-$r.json") ms"
  done
done
python3 - "$WORK" "$RATE" "${VARIANTS[@]}" <<'PY'
import csv, json, statistics, sys
work, rate, variants = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
interval_us = 1e6 / rate
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] / 1000
print(f"| variant | total p50 | total p99 | encode p99 | send p99 | queue p99 | service p50 / p99 | return p99 "
      f"| windows over {interval_us / 1000:.1f} ms | p99 of the runs |")
print("|---|---|---|---|---|---|---|---|---|---|")
import glob
for v in variants:
    runs = sorted(glob.glob(f"{work}/{v}-*.json"))
    cols = {k: [] for k in ("p50", "p99", "e99", "n99", "q99", "s50", "s99", "r99", "win")}
    for j in runs:
        rows = list(csv.DictReader(open(j[:-5] + ".csv")))
        rows.sort(key=lambda x: int(x["capture_us"]))
        total = json.load(open(j))["latency_ms"]["total"]
        svc = [int(x["decode_us"]) + int(x["task_us"]) for x in rows]
        w = 20
        over = sum(1 for i in range(len(svc) - w) if sum(svc[i:i + w]) / w > interval_us)
        cols["p50"].append(total["p50"]); cols["p99"].append(total["p99"])
        cols["q99"].append(pct([int(x["queue_us"]) for x in rows], 0.99))
        cols["e99"].append(pct([int(x["encode_us"]) for x in rows], 0.99))
        cols["n99"].append(pct([int(x["capture_to_agent_us"]) - int(x["encode_us"]) for x in rows], 0.99))
        cols["r99"].append(pct([int(x["total_us"]) - int(x["capture_to_agent_us"]) - int(x["agent_us"]) for x in rows], 0.99))
        cols["s50"].append(pct(svc, 0.5)); cols["s99"].append(pct(svc, 0.99))
        cols["win"].append(100.0 * over / max(1, len(svc) - w))
    m = {k: statistics.median(x) for k, x in cols.items()}
    print(f"| {v} | {m['p50']:.2f} | **{m['p99']:.2f}** | {m['e99']:.2f} | {m['n99']:.2f} | {m['q99']:.2f} | "
          f"{m['s50']:.2f} / {m['s99']:.2f} | {m['r99']:.2f} | "
          f"{m['win']:.1f}% | {', '.join(f'{x:.1f}' for x in cols['p99'])} |")
PY
