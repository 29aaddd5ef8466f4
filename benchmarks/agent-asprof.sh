#!/usr/bin/env bash
# Where the CPU goes on both sides of the frame path, native and kernel code included (issue 7):
# `bench` with one agent (1 worker, shedder off) and 2 streams of 640x480 frames, closed loop; after
# WARMUP seconds async-profiler (tools.profiler:async-profiler from Maven Central, attached with
# jcmd) samples the agent's JVM and the load generator's JVM for SECONDS (CPU, 1 ms). Prints, for
# each JVM, the share of samples by what the thread was doing and the top functions by self time.
#
# Usage: benchmarks/agent-asprof.sh [TASKS] [ENCODING] [SECONDS] [WARMUP]   (defaults: noop raw 10 20)
set -euo pipefail
TASKS="${1:-noop}"
ENCODING="${2:-raw}"
SECONDS_EACH="${3:-10}"
WARMUP="${4:-20}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
AP_VERSION=4.2
JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION-linux-x64.jar"
[ -f "$JAR" ] || mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64" >&2
(cd "$WORK" && unzip -q -o "$JAR" 'linux-x64/*')
LIB="$WORK/linux-x64/libasyncProfiler.so"
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
"$ARGUS" bench --agents 1 --workers 1 --tasks "$TASKS" --streams 2 --window 8 --seconds $((SECONDS_EACH + 10)) \
  --warmup-seconds "$WARMUP" --size 640x480 --encoding "$ENCODING" --agent-arg=--shed-cpu --agent-arg=0 \
  >"$WORK/bench.txt" 2>/dev/null &
bench=$!
sleep $((WARMUP + 5))
client=$(pgrep -f "argus.jar bench" | head -1)
agent=$(pgrep -f "ArgusLauncher agent" | head -1)
for p in $client $agent; do jcmd "$p" JVMTI.agent_load "$LIB" "\"start,event=cpu,interval=1ms,threads\"" >/dev/null; done
sleep "$SECONDS_EACH"
jcmd "$client" JVMTI.agent_load "$LIB" "\"stop,file=$WORK/client.collapsed,collapsed\"" >/dev/null
jcmd "$agent" JVMTI.agent_load "$LIB" "\"stop,file=$WORK/agent.collapsed,collapsed\"" >/dev/null
wait "$bench"
grep -m1 "frames/s" "$WORK/bench.txt" || true
for side in agent client; do
  echo "== $side JVM ($SECONDS_EACH s of CPU samples)"
  python3 "$ROOT/benchmarks/scripts/asprof-top.py" "$WORK/$side.collapsed" 12
done
