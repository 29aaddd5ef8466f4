#!/usr/bin/env bash
# Issue 21's benchmark: `argus analyze --parallel` on a 10-minute recording against a serial run.
#
#   benchmarks/analyze-parallel.sh [COPIES] [REPEATS] [ENCODING]
#
# Makes the recording by concatenating assets/video/vtest.avi COPIES times (default 8: 636 s at
# 10 fps) with FFmpeg's concat demuxer (streams copied, so every copy's keyframes stay), then runs
# `people` with one line and one zone on the embedded cluster of 2 agents: serially, and with
# --parallel 1, 2 and 4, REPEATS times each (default 1), and prints each run's wall time, its
# ratio to the serial run's median, frames out and the line's totals (which must be the same).
# ENCODING (default jpeg) is the --encoding of the runs after the first serial one, which is always
# the default (JPEG); with another one a serial run with it follows, and the table gives the ratio
# to both serial runs (file: the agents read the frames themselves).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COPIES="${1:-8}"
REPEATS="${2:-1}"
ENCODING="${3:-jpeg}"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1 # the jars must not change under running processes
for _ in $(seq 1 "$COPIES"); do echo "file '$ROOT/assets/video/vtest.avi'"; done >"$WORK/list.txt"
ffmpeg -v error -y -f concat -safe 0 -i "$WORK/list.txt" -c copy "$WORK/long.avi"
echo "recording: $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/long.avi") s, $COPIES copies of vtest.avi"

TASKS=(--tasks people --line mid:384,0,384,576 --zone hall:100,300,700,300,700,576,100,576 --agents 2)
run() { # label extra-args...
  local label="$1"; shift
  for r in $(seq 1 "$REPEATS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$ARGUS" analyze --source "$WORK/long.avi" "${TASKS[@]}" "$@" --no-progress --out "$WORK/out.jsonl" 2>"$WORK/err.log" \
      || { cat "$WORK/err.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    python3 - "$label" "$t0" "$t1" "$WORK/out.jsonl" >>"$WORK/results.tsv" <<'PY'
import json, sys
label, t0, t1, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
lines = open(out).read().splitlines()
s = json.loads(lines[-1])
mid = next(iter(s.get("summary", {}).get("streams", {}).values()), {}).get("lines", {}).get("mid", {})
print(f"{label}\t{t1 - t0:.1f}\t{len(lines) - 1}\t{mid.get('in')}/{mid.get('out')}")
PY
    tail -1 "$WORK/results.tsv"
  done
}

run serial
ENC=()
if [ "$ENCODING" != jpeg ]; then
  ENC=(--encoding "$ENCODING")
  run "serial, --encoding $ENCODING" "${ENC[@]}"
fi
run "--parallel 1 ${ENC[*]}" --parallel 1 "${ENC[@]}"
run "--parallel 2 ${ENC[*]}" --parallel 2 "${ENC[@]}"
run "--parallel 4 ${ENC[*]}" --parallel 4 "${ENC[@]}"

python3 - "$WORK/results.tsv" <<'PY'
import sys, statistics, collections
rows = collections.OrderedDict()
for l in open(sys.argv[1]):
    label, wall, frames, mid = l.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(wall), frames, mid))
base = statistics.median(w for w, _, _ in rows["serial"])
same = [l for l in rows if l.startswith("serial, ")]
base2 = statistics.median(w for w, _, _ in rows[same[0]]) if same else base
print("| run | wall s (median) | x serial (JPEG) | x serial (same encoding) | frames out | mid in/out |")
print("|---|---|---|---|---|---|")
for label, rs in rows.items():
    m = statistics.median(w for w, _, _ in rs)
    print(f"| {label} | {m:.1f} | {base / m:.2f} | {base2 / m:.2f} | {rs[0][1]} | {rs[0][2]} |")
PY
