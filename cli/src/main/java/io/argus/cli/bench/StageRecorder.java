package io.argus.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.client.StreamResult;
import io.argus.protocol.v1.StageTiming;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code argus bench} measures: results, errors and drops of frames captured inside the
 * measured window (after the warm-up), the latency of each stage of a frame's way in an
 * HdrHistogram, and with {@code --trace} one CSV line per frame. Results come on the client's
 * delivery threads, hence the atomics and the lock on the histograms.
 */
public final class StageRecorder {
    private static final List<String> TRACE_STAGES = List.of("capture_to_agent", "queue", "decode", "task", "agent");

    private final Map<String, Histogram> stages = new LinkedHashMap<>();
    /** Per-frame lines for --trace, kept in memory (a few MB) and written at the end. */
    private final List<String> traced = new ArrayList<>();
    private final boolean trace;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile long measureFromUs;
    private volatile long measureToUs = Long.MAX_VALUE;

    /** @param trace keep a CSV line per measured frame ({@link #traceLines()}) */
    public StageRecorder(boolean trace) {
        this.trace = trace;
    }

    /** The measured window, in capture time (epoch microseconds). */
    void measure(long fromUs, long toUs) {
        measureFromUs = fromUs;
        measureToUs = toUs;
    }

    /** A frame the window was full for, counted when it was captured inside the measured window. */
    void dropped(long captureUs) {
        if (captureUs >= measureFromUs && captureUs < measureToUs) {
            dropped.incrementAndGet();
        }
    }

    void sent() {
        sent.incrementAndGet();
    }

    /** A frame refused before it reached the tasks. */
    void error() {
        errors.incrementAndGet();
    }

    public long ok() {
        return ok.get();
    }

    public long errors() {
        return errors.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public void record(StreamResult r) {
        if (r.captureUs() < measureFromUs || r.captureUs() >= measureToUs) {
            return;
        }
        if (r.failed()) {
            errors.incrementAndGet();
            return;
        }
        ok.incrementAndGet();
        long encodeUs = r.context() instanceof long[] c ? c[0] : 0;
        long total = r.latencyUs();
        long toAgent = -1;
        long agent = -1;
        synchronized (stages) {
            for (StageTiming t : r.okResult().getTimingsList()) {
                switch (t.getStage()) {
                    case "capture_to_agent" -> toAgent = t.getMicros();
                    case "agent" -> {
                        agent = t.getMicros();
                        add("agent", agent);
                    }
                    default -> add(t.getStage(), t.getMicros());
                }
            }
            add("encode", encodeUs);
            if (toAgent >= 0) {
                add("send", toAgent - encodeUs);
                if (agent >= 0) {
                    add("return", total - toAgent - agent);
                }
            }
            add("total", total);
            if (trace) {
                StringBuilder line = new StringBuilder().append(r.captureUs()).append(',').append(r.streamId())
                        .append(',').append(total).append(',').append(encodeUs);
                for (String stage : TRACE_STAGES) {
                    long v = -1;
                    for (StageTiming t : r.okResult().getTimingsList()) {
                        if (t.getStage().equals(stage) || (stage.equals("task") && t.getStage().startsWith("task."))) {
                            v = t.getMicros();
                        }
                    }
                    line.append(',').append(v);
                }
                traced.add(line.toString());
            }
        }
    }

    private void add(String stage, long micros) {
        stages.computeIfAbsent(stage, k -> new Histogram(3_600_000_000L, 3)).recordValue(Math.max(0, Math.min(micros, 3_600_000_000L)));
    }

    /** p50, p95, p99 and max in ms of every stage seen, in the order of a frame's way. */
    public void putLatencies(ObjectNode st) {
        List<String> order = new ArrayList<>(List.of("encode", "send", "queue", "decode"));
        stages.keySet().stream().filter(k -> k.startsWith("task.")).forEach(order::add);
        order.addAll(List.of("agent", "return", "total"));
        for (String k : order) {
            Histogram h = stages.get(k);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            st.putObject(k).put("p50", ms(h.getValueAtPercentile(50))).put("p95", ms(h.getValueAtPercentile(95)))
                    .put("p99", ms(h.getValueAtPercentile(99))).put("max", ms(h.getMaxValue()));
        }
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /** The --trace file: a header, then one line per measured frame. */
    public List<String> traceLines() {
        List<String> lines = new ArrayList<>();
        lines.add("capture_us,stream,total_us,encode_us," + String.join("_us,", TRACE_STAGES) + "_us");
        synchronized (stages) {
            lines.addAll(traced);
        }
        return lines;
    }
}
