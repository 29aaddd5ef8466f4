#!/usr/bin/env bash
# Issue 17: the module move must not change transport or people numbers.
# Alternates a "before" clone (00c71dc) and an "after" clone, REPEATS times each.
#   bench-moves.sh BEFORE_DIR AFTER_DIR REPEATS OUTDIR
set -u
B="$1"; A="$2"; N="$3"; OUT="$4"; mkdir -p "$OUT"
export ARGUS_NO_BUILD=1
for r in $(seq 1 "$N"); do
  for side in before after; do
    d="$B"; [ "$side" = after ] && d="$A"
    cd "$d"
    for enc in raw jpeg; do
      bin/argus bench --agents 1 --workers 1 --tasks noop --streams 2 --window 8 --seconds 10 --warmup-seconds 10 \
        --size 640x480 --quality 80 --encoding "$enc" --agent-arg=--shed-cpu --agent-arg=0 --out "$OUT/$side-$enc-$r.json" >/dev/null 2>&1
      python3 -c "import json; r=json.load(open('$OUT/$side-$enc-$r.json')); t=r['latency_ms']['total']; print('$side $enc run $r', r['frames_per_second'], t['p50'], t['p99'], r['errors'])" | tee -a "$OUT/transport.txt"
    done
    bin/argus analyze --source assets/video/vtest.avi --tasks people --line mid:384,0,384,576 \
      --gt node-agent/src/test/resources/gt/vtest-s0-300.txt --no-progress --out "$OUT/$side-people-$r.json" > "$OUT/$side-people-$r.log" 2>&1
    python3 - "$OUT/$side-people-$r.json" "$side" "$r" <<'PY' | tee -a "$OUT/people.txt"
import json,sys
r=json.load(open(sys.argv[1]))
def find(o,keys):
    if isinstance(o,dict):
        for k,v in o.items():
            if k in keys: yield k,v
            yield from find(v,keys)
    elif isinstance(o,list):
        for v in o: yield from find(v,keys)
vals={k:v for k,v in find(r,{'frames_per_second','fps','lines','in','out'}) if not isinstance(v,(dict,list))}
print(sys.argv[2],'people run',sys.argv[3],json.dumps({k:r[k] for k in r if not isinstance(r[k],(dict,list))})[:400])
PY
  done
done
