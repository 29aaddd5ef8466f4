#!/usr/bin/env bash
# The operator console measured as an operator runs it (issue 5): a 3x3 wall of 640x480 streams at
# 10 fps each, on a real cluster (development ZooKeeper, two agents with 1 worker each, separate
# processes), the console under Xvfb at 1280x800. The console writes its own figures every 10 s
# (console --report): CPU use in cores, heap and resident memory, frames read/sent/dropped, and
# capture-to-screen latency of the pictures the tiles put on screen.
#
# Usage: benchmarks/console-wall.sh [SECONDS] [TASKS]   (defaults: 600 color)
#        CONSOLE_JAVA_OPTS=-Xmx1g benchmarks/console-wall.sh ...   (JVM options of the console only)
# Run it from a separate clone (see BENCHMARKS.md); it prints the report and a verdict line.
set -euo pipefail
SECONDS_RUN="${1:-600}"
TASKS="${2:-color}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
if ! command -v xvfb-run >/dev/null 2>&1; then
  # the console itself installs the GUI libraries it needs (bin/argus console); Xvfb is ours
  echo "installing Debian's xvfb for the console's virtual display" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth >&2
fi
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
CP="$ROOT/benchmarks/target/argus-benchmarks.jar"
java -cp "$CP" io.argus.bench.Transcode "$ROOT/assets/video/vtest.avi" "$WORK/wall640.avi" 640 480
PORT=$((20000 + RANDOM % 20000))
"$ARGUS" zk --port "$PORT" --data-dir "$WORK/zk" >"$WORK/zk.log" 2>&1 & pids+=($!)
until grep -q ZK-READY "$WORK/zk.log"; do sleep 0.2; done
ZK="127.0.0.1:$PORT"
# the development ZooKeeper requires the cluster's credentials (README, "Security"); it writes them here
AUTH=(--zk-auth-file "$WORK/zk/zk-auth")
for i in 1 2; do
  "$ARGUS" agent --zk "$ZK" "${AUTH[@]}" --name "wall-$i" --workers 1 >"$WORK/agent-$i.log" 2>&1 & pids+=($!)
done
for i in 1 2; do until grep -q AGENT-READY "$WORK/agent-$i.log"; do sleep 0.2; done; done
python3 - "$WORK" "$TASKS" <<'PY'
import json, sys
work, tasks = sys.argv[1], sys.argv[2].split(",")
sources = [{"name": f"tile-{i}", "source": f"{work}/wall640.avi", "loop": True, "tasks": tasks} for i in range(1, 10)]
json.dump({"sources": sources, "layout": "3x3", "alignedOverlays": True}, open(f"{work}/console.json", "w"))
PY
ARGUS_JAVA_OPTS="${CONSOLE_JAVA_OPTS:-}" xvfb-run -a -s "-screen 0 1280x800x24" "$ARGUS" console --zk "$ZK" "${AUTH[@]}" --settings "$WORK/console.json" \
  --report "$WORK/report.jsonl" --exit-after "$SECONDS_RUN" >"$WORK/console.log" 2>&1 || { tail -20 "$WORK/console.log"; exit 1; }
cat "$WORK/report.jsonl"
python3 - "$WORK/report.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
periods = [r for r in rows if not r.get("summary")]
summary = [r for r in rows if r.get("summary")][0]
k = max(1, len(periods) // 5)
first, last = periods[k:2 * k], periods[-k:]   # the first fifth is warm-up
med = lambda xs: sorted(xs)[len(xs) // 2]
frames_in = sum(r["fps_in"] for r in periods[k:]) / len(periods[k:])
dropped = periods[-1]["dropped_total"] - periods[k - 1]["dropped_total"]
secs = periods[-1]["t_s"] - periods[k - 1]["t_s"]
print(f"tiles={periods[-1]['tiles']} mean_cpu_cores={summary['mean_cpu_cores']} fps_in={frames_in:.1f} "
      f"dropped_per_s={dropped / secs:.2f} screen_latency_p50_ms={summary['screen_latency_p50_ms']} "
      f"p99_ms={summary['screen_latency_p99_ms']}")
print(f"latency p50 first/last fifth: {med([r['screen_latency_p50_ms'] for r in first])} / "
      f"{med([r['screen_latency_p50_ms'] for r in last])} ms; rss first/last fifth: "
      f"{max(r['rss_mb'] for r in first)} / {max(r['rss_mb'] for r in last)} MiB; heap max first/last: "
      f"{max(r['heap_mb'] for r in first)} / {max(r['heap_mb'] for r in last)} MiB")
PY
