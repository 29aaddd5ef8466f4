#!/usr/bin/env bash
# Issue 21's managed recording timed: `stream add --replay` of a 10-minute file, serial (one segment)
# and with segments for 2 and 4 workers, each on a fresh embedded cluster of 2 agents.
#
#   benchmarks/replay.sh [COPIES] [WORKERS...]
#
# Makes the recording by concatenating assets/video/vtest.avi COPIES times (default 8: 636 s at
# 10 fps) with FFmpeg's concat demuxer (streams copied, so every copy's keyframes stay), then runs
# io.argus.bench.ReplayBench on it (default workers: 1 2 4; 1 = serial) and prints one table row per
# run: segments, wall time from registration to the last segment finished, stored line totals.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COPIES="${1:-8}"
shift || true
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/bin/argus" --help >/dev/null # builds when needed
for _ in $(seq 1 "$COPIES"); do echo "file '$ROOT/assets/video/vtest.avi'"; done >"$WORK/list.txt"
ffmpeg -v error -y -f concat -safe 0 -i "$WORK/list.txt" -c copy "$WORK/long.avi"
cd "$ROOT"
java -cp "benchmarks/target/argus-benchmarks.jar:benchmarks/target/lib/*" io.argus.bench.ReplayBench "$WORK/long.avi" "$@" \
  2>"$WORK/bench.log" || { tail -50 "$WORK/bench.log" >&2; exit 1; }
