#!/usr/bin/env bash
# One agent process against two on the same host (issue 7): the same load (STREAMS streams of
# `people` on 768x576 frames, closed loop), one agent with one worker, then two agents with one
# worker each, REPEATS times alternating; medians of frames/s and their ratio. On a 2-core machine
# the load generator shares the cores, so the ratio is a floor of what separate machines give.
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
  for n in 1 2; do
    "$ARGUS" bench --agents "$n" --workers 1 --tasks "$TASK" --streams "$STREAMS" --size 768x576 --window 4 \
      --seconds "$SECONDS_EACH" --warmup-seconds 5 --out "$WORK/a$n-$r.json" >/dev/null 2>&1
    python3 -c "import json; r=json.load(open('$WORK/a$n-$r.json')); print(r['frames_per_second'])" >>"$WORK/a$n.txt"
    echo "run $r, $n agent(s): $(tail -1 "$WORK/a$n.txt") frames/s"
  done
done
python3 - "$WORK" <<'PY'
import statistics, sys
a1 = statistics.median(float(x) for x in open(sys.argv[1] + "/a1.txt"))
a2 = statistics.median(float(x) for x in open(sys.argv[1] + "/a2.txt"))
print(f"medians: 1 agent {a1:.1f} frames/s, 2 agents {a2:.1f} frames/s, ratio {a2 / a1:.2f}")
PY
