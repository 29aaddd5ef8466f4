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
# to both serial runs (file: the agents read the frames themselves). PARALLELS (default "1 2 4")
# says which --parallel runs follow. "analysis s" is the summary's time from the first frame sent,
# without the embedded cluster's start and stop (about 10 s together).
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
# the whole command, and the analysis alone (from the first frame sent; without the embedded
# cluster's start and stop, about 10 s, which a replay's timing does not include either)
print(f"{label}\t{t1 - t0:.1f}\t{len(lines) - 1}\t{mid.get('in')}/{mid.get('out')}\t{s['summary'].get('seconds')}")
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
for n in ${PARALLELS:-1 2 4}; do
  run "--parallel $n ${ENC[*]}" --parallel "$n" "${ENC[@]}"
done

python3 - "$WORK/results.tsv" <<'PY'
import sys, statistics, collections
rows = collections.OrderedDict()
for l in open(sys.argv[1]):
    label, wall, frames, mid, analysis = l.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(wall), frames, mid, float(analysis)))
med = lambda rs, k: statistics.median(r[k] for r in rs)
same = [l for l in rows if l.startswith("serial, ")]
ref = rows[same[0]] if same else rows["serial"]
print("| run | wall s (median) | x serial (JPEG) | x serial (same encoding) | analysis s | x serial (same), analysis | frames out | mid in/out |")
print("|---|---|---|---|---|---|---|---|")
for label, rs in rows.items():
    m, a = med(rs, 0), med(rs, 3)
    print(f"| {label} | {m:.1f} | {med(rows['serial'], 0) / m:.2f} | {med(ref, 0) / m:.2f} | {a:.1f} | {med(ref, 3) / a:.2f} | {rs[0][1]} | {rs[0][2]} |")
PY
