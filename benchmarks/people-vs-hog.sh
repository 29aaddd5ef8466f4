#!/usr/bin/env bash
# People counting (issues 3 and 7): a plain OpenCV loop running full-frame HOG on every frame of
# vtest.avi in one process, against the `people` pipeline, both in process on the same decoded
# frames (PeopleVsHog, median of REPEATS) and through the cluster (bin/argus analyze on an
# embedded cluster of two agents: decoding, JPEG, network and all), each judged on the
# hand-labelled crossings of line `mid` (node-agent/src/test/resources/gt).
#
# Usage: benchmarks/people-vs-hog.sh [REPEATS]   (default 3)
set -euo pipefail
REPEATS="${1:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
java -cp benchmarks/target/argus-benchmarks.jar io.argus.bench.PeopleVsHog "$REPEATS" 2>/dev/null
for r in $(seq 1 "$REPEATS"); do
  "$ARGUS" analyze --source assets/video/vtest.avi --tasks people --line mid:384,0,384,576 \
    --gt node-agent/src/test/resources/gt/vtest-s0-300.txt --no-progress --out "$WORK/people-$r.jsonl" \
    2>"$WORK/people-$r.err" >/dev/null || true
  python3 - "$WORK/people-$r.jsonl" "$WORK/people-$r.err" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"summary"')][0]["summary"]
gt = [l.strip() for l in open(sys.argv[2]) if "count" in l.lower() or "error" in l.lower()]
print(f"through the cluster: {s['fps']:.1f} frames/s over {s['frames']} frames, latency p50 {s['latency_ms']['p50']} ms; "
      f"lines {json.dumps(s.get('lines', {}))}; {' | '.join(gt[-3:])}")
PY
done
