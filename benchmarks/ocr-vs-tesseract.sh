#!/usr/bin/env bash
# OCR baseline (issue 7): Debian's `tesseract` command on each scene-text photo, against Argus's
# `text` task on the same photos through an embedded cluster (bin/argus analyze, two agents).
# Both read with the same model (assets/models/tessdata/eng.traineddata). Recall counts the words
# of assets/images/text/words.tsv found in what each returns (a read token containing the word),
# precision the returned tokens of 2+ characters that hold one of them.
# Throughput: tesseract is timed per photo as it is used, one process per photo; Argus's figure
# is the cluster's steady state (analyze's own frames/s over ROUNDS passes of the folder), and its
# first pass, engine start-up included, is reported too.
#
# Usage: benchmarks/ocr-vs-tesseract.sh [REPEATS] [ROUNDS]   (defaults: 3 5)
set -euo pipefail
REPEATS="${1:-3}"
ROUNDS="${2:-5}"
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
mkdir -p "$WORK/photos"
grep -v '^#' assets/images/text/words.tsv | cut -f1 | while read -r f; do cp "assets/images/text/$f" "$WORK/photos/"; done
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
  "$ARGUS" analyze --source "$WORK/photos" --tasks text --param text.agree=1 --loop --max-frames $((N * ROUNDS)) \
    --no-progress --out "$WORK/argus-$r.jsonl" 2>/dev/null >/dev/null || true
  python3 - "$WORK/argus-$r.jsonl" "$N" <<'PY' | tee -a "$WORK/argus-rate.txt"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
s = [l for l in lines if "summary" in l][0]["summary"]
frames = [l for l in lines if "frame" in l]
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
def norm(s):
    return re.sub(r"\s+", " ", re.sub(r"[^A-Z0-9 ]", "", s.upper())).strip()
def score(texts):
    found = expected = match = tokens = 0
    for f, words in truth.items():
        toks = norm(texts.get(f, "")).split(" ")
        found += sum(1 for w in words if any(w in t for t in toks))
        expected += len(words)
        for t in toks:
            if len(t) >= 2:
                tokens += 1
                match += any(w in t for w in words)
    return found, expected, match, tokens
tess = {}
for line in open(f"{work}/tess-1.tsv"):
    if "\t" in line:
        f, t = line.split("\t", 1)
        tess[f] = t
names = sorted(truth)
argus = {}
for l in open(f"{work}/argus-1.jsonl"):
    j = json.loads(l)
    if "frame" in j and j["frame"] < n:
        strings = j["tasks"]["text"].get("strings", {})
        argus[names[j["frame"]]] = " ".join(v for k, v in strings.items() if re.fullmatch(r"text\.\d+", k))
def rate(path, key):
    found = [re.search(key + r" ([0-9.]+)", l) for l in open(path)]
    return statistics.median(float(m.group(1)) for m in found if m)
t_rate = rate(f"{work}/tess-rate.txt", "run [0-9]+:")
a_rate = rate(f"{work}/argus-rate.txt", "run:")
for name, texts, r in (("tesseract (whole photo, PSM 3)", tess, t_rate), ("argus text task", argus, a_rate)):
    f, e, m, t = score(texts)
    print(f"{name:32s} {r:6.2f} photos/s  recall {f}/{e} = {f / e:.2f}  precision {m}/{t} = {m / max(1, t):.2f}")
print(f"throughput ratio argus/tesseract: {a_rate / t_rate:.1f}x (medians of {repeats} runs)")
PY
