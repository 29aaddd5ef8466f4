#!/usr/bin/env bash
# One agent process against two on the same host, and how to use the cores inside one agent
# (issue 7): the same load (STREAMS streams of TASK on 768x576 frames, closed loop) on
#   a1   one agent, 1 worker, OpenCV 1 thread (the baseline)
#   a2   two agents, 1 worker each
#   w2   one agent, 2 workers, OpenCV 1 thread (the default on 2 cores)
#   cv2  one agent, 1 worker, OpenCV 2 threads
# REPEATS times alternating; medians of frames/s and ratios to a1. On a 2-core machine the load
# generator shares the cores, so the ratios are a floor of what separate machines give.
#
# Usage: benchmarks/agents-scaling.sh [TASK] [STREAMS] [SECONDS] [REPEATS]   (defaults: people 2 20 3)
set -euo pipefail
TASK="${1:-people}"
STREAMS="${2:-2}"
SECONDS_EACH="${3:-20}"
REPEATS="${4:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
for r in $(seq 1 "$REPEATS"); do
  for cfg in a1 a2 w2 cv2; do
    case "$cfg" in
      a1) args=(--agents 1 --workers 1) ;;
      a2) args=(--agents 2 --workers 1) ;;
      w2) args=(--agents 1 --workers 2) ;;
      cv2) args=(--agents 1 --workers 1 --agent-arg=--opencv-threads --agent-arg=2) ;;
    esac
    "$ARGUS" bench "${args[@]}" --tasks "$TASK" --streams "$STREAMS" --size 768x576 --window 4 \
      --seconds "$SECONDS_EACH" --warmup-seconds 5 --agent-arg=--shed-cpu --agent-arg=0 --out "$WORK/$cfg-$r.json" >/dev/null 2>&1
    python3 -c "import json; r=json.load(open('$WORK/$cfg-$r.json')); print(r['frames_per_second'])" >>"$WORK/$cfg.txt"
    echo "run $r, $cfg: $(tail -1 "$WORK/$cfg.txt") frames/s"
  done
done
python3 - "$WORK" <<'PY'
import statistics, sys
m = {c: statistics.median(float(x) for x in open(f"{sys.argv[1]}/{c}.txt")) for c in ("a1", "a2", "w2", "cv2")}
names = {"a1": "1 agent, 1 worker", "a2": "2 agents, 1 worker each", "w2": "1 agent, 2 workers", "cv2": "1 agent, 1 worker, OpenCV 2 threads"}
for c, v in m.items():
    print(f"{names[c]:38s} {v:7.1f} frames/s  {v / m['a1']:.2f}x")
PY
