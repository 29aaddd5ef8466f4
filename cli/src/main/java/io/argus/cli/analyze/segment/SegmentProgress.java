package io.argus.cli.analyze.segment;

import io.argus.media.segment.Segment;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;

/**
 * Progress per segment on stderr: a line when a segment starts and when it is done (frames,
 * seconds, failovers), and on a terminal a redrawn line with every segment's percentage.
 */
public final class SegmentProgress {
    private final PrintStream err;
    private final List<Segment> plan;
    private final boolean lines;
    private final boolean redraw;
    private final ToLongFunction<Segment> sent;
    private final AtomicLongArray done;
    private final long[] startedNanos;
    private volatile long lastDraw;

    public SegmentProgress(PrintStream err, List<Segment> plan, boolean lines, boolean redraw) {
        this(err, plan, Segment::framesSent, lines, redraw);
    }

    /** @param sent the frames each segment sends (its warm-up's and its own) */
    public SegmentProgress(PrintStream err, List<Segment> plan, ToLongFunction<Segment> sent, boolean lines, boolean redraw) {
        this.err = err;
        this.sent = sent;
        this.plan = List.copyOf(plan);
        this.lines = lines;
        this.redraw = redraw;
        this.done = new AtomicLongArray(plan.size());
        this.startedNanos = new long[plan.size()];
    }

    public synchronized void started(Segment s, String stream) {
        startedNanos[s.index()] = System.nanoTime();
        if (lines) {
            err.printf(Locale.ROOT, "%ssegment %d/%d: frames %d-%d (warm-up from %d) as stream %s%n", redraw ? "\r" : "",
                    s.index() + 1, plan.size(), s.start(), s.end() - 1, s.warmUpStart(), stream);
        }
    }

    /** One result of segment {@code s} (warm-up or owned) arrived. */
    public void step(Segment s) {
        done.incrementAndGet(s.index());
        long now = System.nanoTime();
        if (!redraw || now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        StringBuilder b = new StringBuilder("\r");
        for (Segment p : plan) {
            b.append(p.index() + 1).append(':').append(100 * done.get(p.index()) / Math.max(1, sent.applyAsLong(p))).append("% ");
        }
        synchronized (this) {
            err.print(b);
            err.flush();
        }
    }

    public synchronized void finished(Segment s, long failovers) {
        if (lines) {
            err.printf(Locale.ROOT, "%ssegment %d/%d: %d frames in %.1f s%s%n", redraw ? "\r" : "", s.index() + 1, plan.size(),
                    done.get(s.index()), (System.nanoTime() - startedNanos[s.index()]) / 1e9,
                    failovers > 0 ? ", " + failovers + " failover(s), frames replayed" : "");
        }
    }

    /** Results of segment {@code s} received so far. */
    public long done(Segment s) {
        return done.get(s.index());
    }
}
