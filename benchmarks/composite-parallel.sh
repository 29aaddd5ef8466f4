#!/usr/bin/env bash
# Issue 21, composites: `argus analyze --tasks mosaic` of several recordings, serially and with
# --parallel, on the embedded cluster of 2 agents.
#
#   benchmarks/composite-parallel.sh [CAMERAS] [REPEATS]
#
# Makes CAMERAS recordings (default 4) of 159 s at 10 fps: assets/video/vtest.avi twice, each camera
# mirrored or cropped differently so that no two tiles are alike (MPEG-4 part 2, a keyframe every
# 12 frames). Then runs `mosaic` (the default 1920x1080 wall on every frame) serially and with
# --parallel 2, REPEATS times each (default 3), and prints each run's wall time, its ratio to the
# serial median, the frames out, and a digest of the per-frame mosaic results (tiles, stale tiles,
# cells), which must be the serial run's.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CAMERAS="${1:-4}"
REPEATS="${2:-3}"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1 # the jars must not change under running processes
printf "file '%s'\nfile '%s'\n" "$ROOT/assets/video/vtest.avi" "$ROOT/assets/video/vtest.avi" >"$WORK/list.txt"
FILTERS=(null hflip vflip "hflip,vflip" "crop=640:480:64:48,scale=768:576" "crop=512:384:0:0,scale=768:576")
SOURCES=()
for i in $(seq 0 $((CAMERAS - 1))); do
  f="${FILTERS[$((i % ${#FILTERS[@]}))]}"
  ffmpeg -v error -y -f concat -safe 0 -i "$WORK/list.txt" -vf "$f" -c:v mpeg4 -q:v 5 "$WORK/cam$i.mp4"
  SOURCES+=(--source "$WORK/cam$i.mp4")
done
echo "cameras: $CAMERAS x $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/cam0.mp4") s at 10 fps"

run() { # label extra-args...
  local label="$1"; shift
  for r in $(seq 1 "$REPEATS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$ARGUS" analyze "${SOURCES[@]}" --tasks mosaic --agents 2 "$@" --no-progress --out "$WORK/out.jsonl" 2>"$WORK/err.log" \
      || { cat "$WORK/err.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    python3 - "$label" "$t0" "$t1" "$WORK/out.jsonl" >>"$WORK/results.tsv" <<'PY'
import hashlib, json, sys
label, t0, t1, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
lines = open(out).read().splitlines()
digest = hashlib.sha256()
for l in lines[:-1]:
    m = json.loads(l).get("tasks", {}).get("mosaic", {})
    digest.update(json.dumps([m.get("numbers"), m.get("strings")], sort_keys=True).encode())
s = json.loads(lines[-1])
print(f"{label}\t{t1 - t0:.1f}\t{len(lines) - 1}\t{digest.hexdigest()[:12]}\t{s['summary'].get('seconds')}")
PY
    tail -1 "$WORK/results.tsv"
  done
}

echo -e "run\twall s\tframes\tresults digest\tanalysis s"
run serial
run "--parallel 2" --parallel 2
python3 - "$WORK/results.tsv" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
by = {}
for r in rows:
    by.setdefault(r[0], []).append(float(r[1]))
base = statistics.median(by["serial"])
for k, v in by.items():
    print(f"{k}: median {statistics.median(v):.1f} s, {base / statistics.median(v):.2f}x the serial run")
PY
