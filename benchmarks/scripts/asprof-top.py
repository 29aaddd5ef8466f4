"""Summarises an async-profiler 'collapsed' file recorded with the 'threads' option: the share of
CPU samples by activity (what the thread was doing, from well-known frames), then the top
functions by self samples. Usage: asprof-top.py FILE [TOP]"""
import collections
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 12
ACTIVITIES = [  # first match wins
    ("JIT compiler", ("CompileBroker", "C2Compiler", "Compiler::")),
    ("GC", ("G1", "GangWorker", "WorkerThread::run", "ConcurrentGCThread")),
    ("frame serialization (EnvelopeEncoder)", ("EnvelopeEncoder",)),
    ("socket write (kernel)", ("writev", "sendmsg", "sendAddress", "write0", "doWrite")),
    ("socket read (kernel)", ("recvAddress", "readv", "read0", "doReadBytes", "sys_read")),
    ("frame assembly / parse", ("LengthPrefixDecoder", "EnvelopeDecoder", "ByteToMessageDecoder")),
    ("image into OpenCV (Mat.put)", ("nPutB",)),
    ("JPEG decode", ("avcodec_send_packet", "sws_scale", "imdecode")),
    ("JPEG encode", ("TurboJpeg", "imencode", "tjCompress")),
    ("tasks", ("Task.run",)),
    ("waiting in epoll / futex", ("epoll_wait", "futex_wait", "Unsafe_Park", "pthread_cond")),
]
total = 0
acts = collections.Counter()
selfs = collections.Counter()
for line in open(path):
    stack, n = line.rsplit(" ", 1)
    n = int(n)
    total += n
    frames = stack.split(";")
    selfs[frames[-1]] += n
    for name, keys in ACTIVITIES:
        if any(k in stack for k in keys):
            acts[name] += n
            break
    else:
        acts["other"] += n
print(f"  {total} samples")
for name, n in acts.most_common():
    print(f"  {100 * n / total:5.1f}%  {name}")
print("  top functions (self):")
for f, n in selfs.most_common(top):
    print(f"  {100 * n / total:5.1f}%  {f[:110]}")
