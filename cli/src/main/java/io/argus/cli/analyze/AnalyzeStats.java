package io.argus.cli.analyze;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.client.StreamResult;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Totals and latency percentiles for the summary line. Updated from the client's delivery thread. */
public final class AnalyzeStats {
    private final Histogram latencyUs = new Histogram(3_600_000_000L, 3);
    private final Map<String, long[]> perStream = new LinkedHashMap<>();
    private long frames;
    private long errors;
    private long firstNanos = -1;

    public synchronized void record(StreamResult r) {
        long now = System.nanoTime();
        if (firstNanos < 0) {
            firstNanos = now;
        }
        frames++;
        long[] s = perStream.computeIfAbsent(r.streamId(), k -> new long[4]);
        s[0]++;
        if (r.failed()) {
            errors++;
            s[1]++;
        }
        if (r.attempts() > 1) {
            s[2]++;
        }
        if (r.result() != null) {
            // live frames dropped at the source before this one (never sent, never numbered)
            s[3] += r.result().getGapFrames();
        }
        latencyUs.recordValue(Math.max(0, Math.min(r.latencyUs(), latencyUs.getHighestTrackableValue())));
    }

    private final Map<String, long[]> sessions = new TreeMap<>();

    /**
     * What a stream's session did to keep its results exact: failovers, frames replayed after
     * them, explicit gaps, and the most frames and bytes it held for replay.
     */
    public synchronized void session(String stream, long failovers, long replayed, long gaps, long peakFrames,
                                     long peakBytes) {
        sessions.put(stream, new long[]{failovers, replayed, gaps, peakFrames, peakBytes});
    }

    public synchronized long frames() {
        return frames;
    }

    public synchronized long errors() {
        return errors;
    }

    /** The summary object; {@code wallNanos} is the whole run, from the first frame read. */
    public synchronized ObjectNode toJson(long wallNanos) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("frames", frames).put("errors", errors);
        double secs = wallNanos / 1e9;
        n.put("seconds", round(secs)).put("fps", round(secs > 0 ? frames / secs : 0));
        ObjectNode lat = n.putObject("latency_ms");
        lat.put("p50", ms(latencyUs.getValueAtPercentile(50))).put("p95", ms(latencyUs.getValueAtPercentile(95)))
                .put("p99", ms(latencyUs.getValueAtPercentile(99))).put("max", ms(latencyUs.getMaxValue()));
        ObjectNode streams = n.putObject("streams");
        // --parallel: the segments' own streams, whose results are merged into one stream
        sessions.forEach((k, sn) -> {
            if (!perStream.containsKey(k)) {
                n.withObjectProperty("segments").putObject(k).put("failovers", sn[0]).put("replayed_frames", sn[1])
                        .put("replay_gaps", sn[2]).put("replay_peak_frames", sn[3]).put("replay_peak_bytes", sn[4]);
            }
        });
        perStream.forEach((k, v) -> {
            ObjectNode st = streams.putObject(k).put("frames", v[0]).put("errors", v[1]).put("resent", v[2])
                    .put("gap_frames", v[3]);
            long[] sn = sessions.get(k);
            if (sn != null) {
                st.putObject("session").put("failovers", sn[0]).put("replayed_frames", sn[1]).put("replay_gaps", sn[2])
                        .put("replay_peak_frames", sn[3]).put("replay_peak_bytes", sn[4]);
            }
        });
        return n;
    }

    private static double ms(long us) {
        return round(us / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
