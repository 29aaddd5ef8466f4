#!/usr/bin/env python3
"""Top costs in a JFR recording: the share of CPU samples (jdk.ExecutionSample and
jdk.NativeMethodSample) whose top frame is each method, and the share whose stack contains
each of a few Argus stages. Usage: jfr-top.py FILE.jfr [N]"""
import json, subprocess, sys, collections

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 12
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]
top = collections.Counter()
total = 0
for e in events:
    frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    if not frames:
        continue
    thread = (e["values"].get("sampledThread") or e["values"].get("eventThread") or {}).get("javaName", "")
    # native samples are threads parked in native code: count only the agent's busy natives
    if e["type"] == "jdk.NativeMethodSample":
        name = frames[0]["method"]["type"]["name"] + "." + frames[0]["method"]["name"]
        if any(w in name for w in ("epoll", "Selector", "accept", "read0", "socketRead", "park", "wait")):
            continue
    f = frames[0]["method"]
    top[f["type"]["name"].split(".")[-1] + "." + f["name"] + " [" + thread.split("-")[0] + "]"] += 1
    total += 1
print(f"{total} samples")
for name, c in top.most_common(n):
    print(f"{100.0 * c / total:5.1f}%  {name}")
