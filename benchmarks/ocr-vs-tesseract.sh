#!/usr/bin/env bash
# OCR baseline (issue 7): Debian's `tesseract` command on each scene-text photo, against Argus's
# `text` task on the same photos through an embedded cluster (bin/argus analyze, two agents).
# Both read with the same model (assets/models/tessdata/eng.traineddata). Scored as ICDAR word
# spotting against assets/images/text/words.tsv (every instance a person reads): a word read must
# equal a word of the photo after upper-casing and removing punctuation; recall and precision by
# instance and by distinct word, and the false words listed.
# Throughput: tesseract is timed per photo as it is used, one process per photo, one after another
# (it uses one core) and two at a time (both cores); Argus's figure is the cluster's steady state
# (analyze's own frames/s over ROUNDS passes), with the photos in two folders, one stream each, on
# one agent with two workers (both cores; with two one-worker agents, hashing put both streams on
# the same agent for the whole short run), and its first pass, engine start-up included, too.
#
# Usage: benchmarks/ocr-vs-tesseract.sh [REPEATS] [ROUNDS]   (defaults: 3 20)
# TEXT_ENGINE=mser-tesseract|ppocr-tesseract|ppocr|ppocr-mixed runs the text task with that engine
# (default: the task's default).
set -euo pipefail
REPEATS="${1:-3}"
ROUNDS="${2:-20}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGUS="$ROOT/bin/argus"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if ! command -v tesseract >/dev/null 2>&1; then
  echo "installing Debian's tesseract-ocr for the baseline" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >&2
fi
"$ARGUS" --help >/dev/null
export ARGUS_NO_BUILD=1
cd "$ROOT"
mkdir -p "$WORK/photos" "$WORK/photos-a" "$WORK/photos-b"
i=0
grep -v '^#' assets/images/text/words.tsv | cut -f1 | while read -r f; do
  cp "assets/images/text/$f" "$WORK/photos/"
  if [ $((i % 2)) = 0 ]; then cp "assets/images/text/$f" "$WORK/photos-a/"; else cp "assets/images/text/$f" "$WORK/photos-b/"; fi
  i=$((i + 1))
done
N="$(ls "$WORK/photos" | wc -l)"
echo "tesseract $(tesseract --version 2>&1 | head -1 | awk '{print $2}') vs Argus text task, $N photos, $REPEATS repeats"
for r in $(seq 1 "$REPEATS"); do
  start=$(date +%s.%N)
  for f in $(ls "$WORK/photos"); do
    tesseract "$WORK/photos/$f" stdout --tessdata-dir assets/models/tessdata -l eng 2>/dev/null | tr '\n' ' ' \
      | sed "s|^|$f\t|" >>"$WORK/tess-$r.tsv"; echo >>"$WORK/tess-$r.tsv"
  done
  end=$(date +%s.%N)
  python3 -c "print(f'tesseract run $r: {$N / ($end - $start):.2f} photos/s')" | tee -a "$WORK/tess-rate.txt"
  start=$(date +%s.%N)
  ls "$WORK/photos" | xargs -P 2 -I{} sh -c "tesseract '$WORK/photos/{}' stdout --tessdata-dir assets/models/tessdata -l eng >/dev/null 2>&1"
  end=$(date +%s.%N)
  python3 -c "print(f'tesseract x2 run $r: {$N / ($end - $start):.2f} photos/s')" | tee -a "$WORK/tess2-rate.txt"
  half=$(( (N + 1) / 2 ))
  "$ARGUS" analyze --agents 1 --source "$WORK/photos-a" --source "$WORK/photos-b" --tasks text --param text.agree=1 ${TEXT_ENGINE:+--param text.engine=$TEXT_ENGINE} --loop \
    --max-frames $((half * ROUNDS)) --no-progress --out "$WORK/argus-$r.jsonl" 2>/dev/null >/dev/null || true
  python3 - "$WORK/argus-$r.jsonl" "$N" <<'PY' | tee -a "$WORK/argus-rate.txt"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
s = [l for l in lines if "summary" in l][0]["summary"]
frames = sorted((l for l in lines if "frame" in l), key=lambda l: l["at_ms"])
n = int(sys.argv[2])
first = frames[n - 1]["at_ms"] - frames[0]["at_ms"] + frames[0]["latency_ms"]
print(f"argus run: {s['fps']:.2f} photos/s over {s['frames']} frames; first pass {n / (first / 1000):.2f} photos/s")
PY
done
python3 - "$WORK" "$REPEATS" "$N" <<'PY'
import json, re, statistics, sys, glob
work, repeats, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
truth = {}
for line in open("assets/images/text/words.tsv"):
    if line.strip() and not line.startswith("#"):
        f, w = line.rstrip("\n").split("\t")
        truth[f] = w.split()
def words(s):
    # as io.argus.testing.WordSpotting: upper case, letters and digits only, split at white space
    return [w for w in (re.sub(r"[^\w]|_", "", t.upper()) for t in s.split()) if w]
def score(texts):
    # ICDAR word spotting: a word read must equal a word of the truth (a substring is not a match);
    # by instance (multisets: each instance matched once) and by distinct word; false words listed
    matched = expected = read = dmatched = dexpected = dread = 0
    false = []
    for f, truth_words in truth.items():
        got = words(texts.get(f, ""))
        left = {}
        for w in truth_words:
            left[w] = left.get(w, 0) + 1
        for w in got:
            if left.get(w, 0) > 0:
                left[w] -= 1
                matched += 1
            elif w not in truth_words:
                false.append(f"{f}:{w}")
        expected += len(truth_words)
        read += len(got)
        dmatched += len(set(got) & set(truth_words))
        dexpected += len(set(truth_words))
        dread += len(set(got))
    return matched, expected, read, dmatched, dexpected, dread, false
tess = {}
for line in open(f"{work}/tess-1.tsv"):
    if "\t" in line:
        f, t = line.split("\t", 1)
        tess[f] = t
import os
folders = {d: sorted(os.listdir(f"{work}/{d}")) for d in ("photos-a", "photos-b")}
argus = {}
for l in open(f"{work}/argus-1.jsonl"):
    j = json.loads(l)
    if "frame" in j and j["stream"] in folders and j["frame"] < len(folders[j["stream"]]):
        strings = j["tasks"]["text"].get("strings", {})
        argus[folders[j["stream"]][j["frame"]]] = " ".join(v for k, v in strings.items() if re.fullmatch(r"text\.\d+", k))
def rate(path, key):
    found = [re.search(key + r" ([0-9.]+)", l) for l in open(path)]
    return statistics.median(float(m.group(1)) for m in found if m)
t_rate = rate(f"{work}/tess-rate.txt", "run [0-9]+:")
t2_rate = rate(f"{work}/tess2-rate.txt", "x2 run [0-9]+:")
a_rate = rate(f"{work}/argus-rate.txt", "run:")
for name, texts, r in (("tesseract (whole photo, PSM 3)", tess, t_rate), ("argus text task", argus, a_rate)):
    m, e, n, dm, de, dn, false = score(texts)
    print(f"{name:32s} {r:6.2f} photos/s  instances: recall {m}/{e} = {m / e:.2f}, precision {m}/{n} = {m / max(1, n):.2f};"
          f" distinct: recall {dm}/{de} = {dm / de:.2f}, precision {dm / max(1, dn):.2f}; false words {len(false)} {false}")
print(f"tesseract, two processes at a time        {t2_rate:6.2f} photos/s")
print(f"throughput ratio argus/tesseract: {a_rate / t_rate:.2f}x one at a time, {a_rate / t2_rate:.2f}x two at a time"
      f" (medians of {repeats} runs)")
PY
