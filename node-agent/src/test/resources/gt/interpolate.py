#!/usr/bin/env python3
"""Dense ground truth from hand-labelled keyframes, the way CVAT/VATIC interpolate tracks.

Usage:
    python3 interpolate.py vtest-s0-300.txt vtest-mid-300.txt > vtest-0-300-dense.txt
    python3 interpolate.py --keyframes-out vtest-0-300-dense.keyframes.txt \
        vtest-s0-300.txt vtest-mid-300.txt > vtest-0-300-dense.txt

Input files are MOTChallenge ground truth (frame,id,x,y,w,h,consider,class,visibility; frames
1-based). Every frame that appears in any input file is a keyframe, and a keyframe labels every
visible person, so a person who has no row at a keyframe is not visible there.

Rule: for each track, the box is interpolated linearly (x, y, w, h, rounded to whole pixels) between
two keyframes only when they are ADJACENT keyframes (no keyframe between them), the person is
labelled at both, and they are at most --max-gap frames apart (default 10). A track that is missing
at a keyframe therefore ends at the last keyframe where it is labelled and starts again at the next
one: no box is invented between them. Output: every row of frames --first..--last (default: first
and last keyframe), sorted by frame then id, with consider=1, class=1, visibility=1 (keyframe rows
keep their own boxes unchanged). Uses only the Python 3 standard library.
"""
import argparse
import math
import sys


def read_rows(path):
    rows = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            p = line.split(',')
            if len(p) < 6:
                raise SystemExit(f'{path}:{n}: expected at least 6 fields: {line}')
            frame, tid = int(p[0]), int(p[1])
            box = tuple(float(v) for v in p[2:6])
            if (frame, tid) in rows:
                raise SystemExit(f'{path}:{n}: duplicate row for frame {frame} id {tid}')
            rows[(frame, tid)] = box
    return rows


def rnd(v):
    return int(math.floor(v + 0.5))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('files', nargs='+', help='keyframe label files (MOT format)')
    ap.add_argument('--max-gap', type=int, default=10, help='longest keyframe gap to interpolate over (frames)')
    ap.add_argument('--first', type=int, default=None, help='first output frame (default: first keyframe)')
    ap.add_argument('--last', type=int, default=None, help='last output frame (default: last keyframe)')
    ap.add_argument('--keyframes-out', default=None, help='also write the keyframe frame numbers here, one a line')
    a = ap.parse_args()

    key = {}
    for path in a.files:
        for k, box in read_rows(path).items():
            if k in key:
                raise SystemExit(f'frame {k[0]} id {k[1]} is labelled in more than one file')
            key[k] = box
    keyframes = sorted({f for f, _ in key})
    if not keyframes:
        raise SystemExit('no rows')
    first = keyframes[0] if a.first is None else a.first
    last = keyframes[-1] if a.last is None else a.last

    out = {}
    for k, box in key.items():
        out[k] = box
    ids = sorted({i for _, i in key})
    for tid in ids:
        for f0, f1 in zip(keyframes, keyframes[1:]):
            if (f0, tid) not in key or (f1, tid) not in key or f1 - f0 > a.max_gap:
                continue
            b0, b1 = key[(f0, tid)], key[(f1, tid)]
            for f in range(f0 + 1, f1):
                t = (f - f0) / (f1 - f0)
                out[(f, tid)] = tuple(v0 + (v1 - v0) * t for v0, v1 in zip(b0, b1))

    w = sys.stdout
    for (f, tid) in sorted(out):
        if f < first or f > last:
            continue
        x, y, bw, bh = (rnd(v) for v in out[(f, tid)])
        w.write(f'{f},{tid},{x},{y},{bw},{bh},1,1,1\n')
    if a.keyframes_out:
        with open(a.keyframes_out, 'w') as kf:
            for f in keyframes:
                if first <= f <= last:
                    kf.write(f'{f}\n')


if __name__ == '__main__':
    main()
