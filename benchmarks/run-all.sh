#!/usr/bin/env bash
# Every row of BENCHMARKS.md in one session, one after another (nothing else should run on the
# machine meanwhile). Run it from a separate clone after `mvn -B -DskipTests install`:
#
#   git clone . /tmp/argus-bench && cd /tmp/argus-bench && mvn -B -q -DskipTests install
#   benchmarks/run-all.sh OUT_DIR            # about 2.5 hours on 2 cores
#
# Each benchmark's output goes to OUT_DIR/NAME.txt; the scripts and commands are the ones
# BENCHMARKS.md names above its tables.
set -uo pipefail
OUT="${1:?usage: benchmarks/run-all.sh OUT_DIR}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$OUT"
cd "$ROOT"
JAR=benchmarks/target/argus-benchmarks.jar
run() {
  local name="$1"; shift
  echo "== $name: $*" | tee "$OUT/$name.txt"
  local t0=$SECONDS
  "$@" >>"$OUT/$name.txt" 2>&1
  echo "== $name: exit $?, $((SECONDS - t0)) s" | tee -a "$OUT/$name.txt"
}
run machine sh -c 'nproc; grep -m1 "model name" /proc/cpuinfo; free -g | head -2; java -version 2>&1 | head -1; uname -r'
run jpeg-codecs java -jar "$JAR" JpegCodecsBenchmark -f 1 -wi 3 -i 8 -rf json -rff "$OUT/jpeg-codecs.json"
run jpeg-sizes java -cp "$JAR" io.argus.bench.JpegSizes
run decode-kernels java -jar "$JAR" 'VideoDecode' -f 1
run vision-kernels java -jar "$JAR" CompositeBenchmark -f 1 -wi 2 -i 5
run profile-before benchmarks/agent-profile.sh noop jpeg 20 opencv
run profile-after benchmarks/agent-profile.sh noop jpeg 20
run profile-raw benchmarks/agent-profile.sh noop raw 20
run asprof-raw benchmarks/agent-asprof.sh noop raw 10 20
run asprof-jpeg benchmarks/agent-asprof.sh noop jpeg 10 20
run asprof-text benchmarks/agent-asprof.sh text jpeg 20 20
run transport benchmarks/transport-vs-grpc.sh 15 5 2 20
run cluster-hop benchmarks/cluster-hop.sh color 30 5 60
run hop-sched benchmarks/hop-sched.sh color 120 10
run hop-knobs benchmarks/hop-knobs.sh 86.5 20 3 40
run people benchmarks/people-vs-hog.sh 3
run ocr benchmarks/ocr-vs-tesseract.sh 3 20
run text-recall java -cp "$JAR" io.argus.bench.TextRecall 5
run text-recall-1280 java -cp "$JAR" io.argus.bench.TextRecall 5 maxSide=1280
run text-recall-no-sparse java -cp "$JAR" io.argus.bench.TextRecall 5 sparse=false
run hard-lines java -cp "$JAR" io.argus.bench.HardLines
run agents-scaling benchmarks/agents-scaling.sh people 2 20 3
run analyze-agents benchmarks/analyze-agents.sh 1
run control-plane java -cp "$JAR" io.argus.bench.ControlPlaneScale 1000 10000 100 10
run assignment-scale java -cp "$JAR" io.argus.bench.AssignmentScale 1000 10000 200
run gateway-1-agent benchmarks/gateway-load.sh 10 2 1 color
run gateway-2-agents benchmarks/gateway-load.sh 10 2 2 color
run failover benchmarks/failover.sh 3 6000
run agent-rss benchmarks/agent-rss.sh 10 color,people
run console-wall benchmarks/console-wall.sh 600 color
run soak bin/argus soak --minutes 10
