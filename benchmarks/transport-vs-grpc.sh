#!/usr/bin/env bash
# Transport baseline (issue 7): Argus's frame protocol against gRPC-java bidirectional streaming
# (grpc-netty), the same protobuf FrameRequest/FrameResult messages built from the same frames
# (640x480 from vtest.avi, encoded per frame by the same FrameEncoder: JPEG q80 or raw BGR), the
# same server work (Argus's ImageDecoder, then a no-op task, on 1 worker thread in a separate
# JVM), the same window (8 frames in flight per stream), closed loop. Like for like, neither server
# sheds load (the gRPC server has no shedder; the agent runs with --shed-cpu 0); one more Argus row
# per encoding keeps the agent's default shedder on. Runs alternate, REPEATS times each.
#
# Each run warms up for WARMUP seconds before it measures (both transports alike): the JIT keeps
# compiling for well over 5 s at these rates, on both sides.
#
# Usage: benchmarks/transport-vs-grpc.sh [SECONDS] [REPEATS] [STREAMS] [WARMUP]   (defaults: 15 3 2 20)
set -euo pipefail
SECONDS_EACH="${1:-15}"
REPEATS="${2:-3}"
STREAMS="${3:-2}"
WARMUP="${4:-20}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
CP="$ROOT/benchmarks/target/argus-benchmarks.jar"
WORK="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
argus_run() { # NAME ENCODING [agent args...]
  local name="$1" enc="$2"; shift 2
  local extra=()
  for a in "$@"; do extra+=("--agent-arg=$a"); done
  "$ARGUS" bench --agents 1 --workers 1 --tasks noop --streams "$STREAMS" --window 8 --seconds "$SECONDS_EACH" \
    --warmup-seconds "$WARMUP" --size 640x480 --quality 80 --encoding "$enc" "${extra[@]}" --out "$WORK/$name.json" >/dev/null 2>&1
  python3 -c "import json; r=json.load(open('$WORK/$name.json')); t=r['latency_ms']['total']; print(f\"$name frames_per_s={r['frames_per_second']} p50_ms={t['p50']} p99_ms={t['p99']} max_ms={t['max']} errors={r['errors']}\")"
}
for enc in jpeg raw; do
  for r in $(seq 1 "$REPEATS"); do
    PORT=$((20000 + RANDOM % 20000))
    java -Xms256m -Xmx256m -cp "$CP" io.argus.bench.GrpcBaseline server "$PORT" 1 >"$WORK/grpc.log" 2>&1 & gp=$!
    until grep -q GRPC-READY "$WORK/grpc.log"; do sleep 0.2; done
    java -cp "$CP" io.argus.bench.GrpcBaseline client "127.0.0.1:$PORT" "$STREAMS" 8 "$SECONDS_EACH" "$WARMUP" 640x480 80 \
      assets/video/vtest.avi "$enc" 2>/dev/null | sed "s/^grpc encoding=$enc/grpc-$enc/" | tee -a "$WORK/grpc-$enc.txt"
    kill "$gp"; wait "$gp" 2>/dev/null || true
    argus_run "argus-$enc" "$enc" --shed-cpu 0 | tee -a "$WORK/argus-$enc.txt"
    argus_run "argus-$enc-shedding" "$enc" | tee -a "$WORK/argus-$enc-shedding.txt"
  done
done
echo "medians over $REPEATS runs ($STREAMS streams, window 8, 640x480):"
for f in grpc-jpeg argus-jpeg argus-jpeg-shedding grpc-raw argus-raw argus-raw-shedding; do
  grep -o 'frames_per_s=[0-9.]* p50_ms=[0-9.]* p99_ms=[0-9.]*' "$WORK/$f.txt" | awk -v name="$f" '
    { split($1,a,"="); split($2,b,"="); split($3,c,"="); fps[NR]=a[2]; p50[NR]=b[2]; p99[NR]=c[2] }
    function med(x, n,   i, j, t) { for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (x[j]+0<x[i]+0) { t=x[i]; x[i]=x[j]; x[j]=t } return x[int((n+1)/2)] }
    END { printf "%-22s frames/s %7s  p50 %8s ms  p99 %8s ms\n", name, med(fps,NR), med(p50,NR), med(p99,NR) }'
done
