package io.argus.app.console.feed;

import io.argus.client.StreamResult;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures of a {@link StreamFeed}'s snapshot: frames sent, delivered, dropped and failed,
 * frames/s in and out and latency percentiles over the last second or so, and what a result says
 * of the stream (line counts, zone occupancy, people visible, LIVE or DEGRADED and why).
 */
final class FeedFigures {
    private final Recorder latency = new Recorder(3_600_000_000L, 2);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final double[] rates = new double[2];
    private long rateAtNanos = System.nanoTime();
    private long sentAtLast;
    private long deliveredAtLast;
    private Histogram window = new Histogram(3_600_000_000L, 2);

    void sent() {
        sent.incrementAndGet();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    /** A result arrived, {@code latencyUs} after its frame's capture. */
    void delivered(long latencyUs) {
        delivered.incrementAndGet();
        latency.recordValue(Math.max(0, Math.min(latencyUs, 3_600_000_000L)));
    }

    long droppedCount() {
        return dropped.get();
    }

    long failedCount() {
        return failed.get();
    }

    /**
     * The snapshot after result {@code r}: {@code agent} is the agent of the last good result,
     * {@code stride} the session's frame stride (1 unless the stream is thinned).
     */
    synchronized FeedSnapshot build(StreamResult r, String agent, int stride) {
        long now = System.nanoTime();
        double dt = (now - rateAtNanos) / 1e9;
        if (dt >= 1) {
            rates[0] = (sent.get() - sentAtLast) / dt;
            rates[1] = (delivered.get() - deliveredAtLast) / dt;
            sentAtLast = sent.get();
            deliveredAtLast = delivered.get();
            rateAtNanos = now;
            window = latency.getIntervalHistogram(); // the last second or so
        }
        Map<String, long[]> lines = new LinkedHashMap<>();
        Map<String, Integer> zones = new LinkedHashMap<>();
        int visible = 0;
        boolean degraded = !r.ok() || r.okResult().getDegraded();
        if (r.ok()) {
            for (TaskResult t : r.okResult().getTasksList()) {
                degraded |= t.getStatus() != Code.OK;
                t.getNumbersMap().forEach((k, v) -> {
                    if (k.startsWith("line.") && (k.endsWith(".in") || k.endsWith(".out"))) {
                        String name = k.substring(5, k.lastIndexOf('.'));
                        long[] io = lines.computeIfAbsent(name, x -> new long[2]);
                        io[k.endsWith(".in") ? 0 : 1] = Math.round(v);
                    } else if (k.startsWith("zone.") && k.endsWith(".occupancy")) {
                        zones.put(k.substring(5, k.length() - ".occupancy".length()), (int) Math.round(v));
                    }
                });
                visible += (int) Math.round(t.getNumbersOrDefault("people.visible", 0));
            }
        }
        boolean shed = r.ok() ? r.okResult().getDegraded() : r.error() == Code.OVERLOADED;
        String status = degraded || stride > 1 ? "DEGRADED" : "LIVE";
        String detail;
        if (!r.ok()) {
            detail = r.error() + ": " + r.errorMessage();
        } else if (stride > 1 || shed) {
            detail = r.agentId() + " is shedding load; sending 1 frame in " + stride;
        } else if (degraded) {
            detail = "a task failed";
        } else {
            detail = "on " + r.agentId();
        }
        return new FeedSnapshot(r.ok() ? r.agentId() : agent, status, detail, rates[0], rates[1],
                window.getValueAtPercentile(50) / 1000.0, window.getValueAtPercentile(95) / 1000.0,
                window.getValueAtPercentile(99) / 1000.0, dropped.get(), failed.get(), lines, zones, visible,
                r.ok() ? r.okResult().getConfigVersion() : 0, shed || stride > 1);
    }
}
