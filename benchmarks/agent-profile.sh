#!/usr/bin/env bash
# Where an agent's time goes under load (issue 7): one agent (1 worker) runs `bench` for SECONDS
# with Java Flight Recorder on (profile settings); prints the top frames of its CPU samples, its
# allocation rate and its GC pauses over the measured run.
#
# Usage: benchmarks/agent-profile.sh [TASKS] [ENCODING] [SECONDS] [CODECS]   (defaults: noop jpeg 20 default)
# CODECS=opencv runs the client's JPEG encoder and the agent's decoder on OpenCV, as before the
# codec change (-Dargus.jpeg.encoder=opencv, -Dargus.jpeg.decoder=opencv): the profile's baseline.
set -euo pipefail
TASKS="${1:-noop}"
ENCODING="${2:-jpeg}"
SECONDS_EACH="${3:-20}"
CODECS="${4:-default}"
AGENT_OPTS=""
if [ "$CODECS" = opencv ]; then
  AGENT_OPTS="-Dargus.jpeg.decoder=opencv"
  export ARGUS_JAVA_OPTS="-Dargus.jpeg.encoder=opencv"
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
ARGUS_AGENT_JAVA_OPTS="$AGENT_OPTS -XX:StartFlightRecording=filename=$WORK/%n.jfr,settings=profile,dumponexit=true" \
  "$ARGUS" bench --agents 1 --workers 1 --tasks "$TASKS" --streams 2 --window 8 --seconds "$SECONDS_EACH" \
  --warmup-seconds 5 --size 640x480 --encoding "$ENCODING" --agent-arg=--shed-cpu --agent-arg=0 2>/dev/null | head -1
python3 benchmarks/scripts/jfr-top.py "$WORK/bench-1.jfr" 12
python3 - "$WORK/bench-1.jfr" <<'PY'
import json, subprocess, sys, statistics
path = sys.argv[1]
ev = json.loads(subprocess.run(["jfr", "print", "--json", "--events", "jdk.GarbageCollection,jdk.ObjectAllocationSample",
                                path], capture_output=True, text=True, check=True).stdout)["recording"]["events"]
def secs(v):  # ISO-8601 duration, PT0.0045S
    return float(v[2:-1])
gcs = [e for e in ev if e["type"] == "jdk.GarbageCollection"]
ps = sorted(secs(e["values"]["sumOfPauses"]) * 1000 for e in gcs)
print(f"GC over the whole run: {len(gcs)} collections, pause median {statistics.median(ps) if ps else 0:.2f} ms, "
      f"max {max(ps) if ps else 0:.2f} ms, total {sum(ps):.0f} ms")
# allocation on the frame path (workers and event loops), from JFR's weighted samples
hot = [e for e in ev if e["type"] == "jdk.ObjectAllocationSample"
       and e["values"]["eventThread"]["javaName"].startswith(("argus-worker", "multiThreadIoEventLoopGroup"))]
if hot:
    t = sorted(e["values"]["startTime"] for e in hot)
    from datetime import datetime
    span = (datetime.fromisoformat(t[-1].replace("Z", "+00:00")) - datetime.fromisoformat(t[0].replace("Z", "+00:00"))).total_seconds()
    total = sum(e["values"]["weight"] for e in hot)
    print(f"allocation on the frame path (workers + event loops): {total / 1e6:.0f} MB in {span:.0f} s = {total / 1e6 / max(span, 1):.1f} MB/s")
PY
