package io.argus.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

/**
 * The verdict of {@code argus soak}: agent A's memory and descriptors in the last fifth of the
 * measured run against the first (medians of at least three samples), every frame answered once
 * and none failed, and no latency creep; written as the JSON report.
 */
final class SoakVerdict {
    private final double minutes;
    private final int streams;
    private final double fps;
    private final double tolerancePercent;

    SoakVerdict(double minutes, int streams, double fps, double tolerancePercent) {
        this.minutes = minutes;
        this.streams = streams;
        this.fps = fps;
        this.tolerancePercent = tolerancePercent;
    }

    /**
     * The report, adding to {@code problems} what fails: frames unanswered or failed, agent A's memory or
     * descriptors grown past the tolerance, and (runs of 3 minutes or more) median latency crept.
     */
    ObjectNode judge(Path work, List<SoakSample> samples, long submitted, long answered, long failed, long dropped,
                     List<String> problems) {
        ObjectNode r = SoakCommand.JSON.createObjectNode();
        r.put("logs", work.toString()).put("minutes", minutes).put("streams", streams).put("fps_offered_per_stream", fps)
                .put("frames_submitted", submitted).put("frames_answered", answered).put("frames_failed", failed)
                .put("frames_dropped_at_the_source", dropped);
        if (answered != submitted) {
            problems.add("frames answered " + answered + " != submitted " + submitted);
        }
        if (failed > 0) {
            problems.add(failed + " frames failed");
        }
        int n = samples.size();
        // medians of at least three samples: a leak moves the whole window, one busy moment does not
        int fifth = Math.min(n, Math.max(3, n / 5));
        List<SoakSample> base = samples.subList(0, Math.min(n, fifth));
        List<SoakSample> last = samples.subList(Math.max(0, n - fifth), n);
        ObjectNode agentA = r.putObject("agent_a");
        check(agentA, "rss_bytes", base, last, s -> s.rss(), 16 << 20, problems);
        check(agentA, "heap_live_bytes", base, last, s -> s.heap(), 8 << 20, problems);
        check(agentA, "direct_bytes", base, last, s -> s.direct(), 8 << 20, problems);
        check(agentA, "open_fds", base, last, s -> s.fds(), 8, problems);
        double p50Base = median(base, s -> s.p50Ms());
        double p50Last = median(last, s -> s.p50Ms());
        ObjectNode lat = r.putObject("latency_p50_ms");
        lat.put("baseline", p50Base).put("last", p50Last);
        if (minutes >= 3) {
            lat.put("judged", true);
            if (p50Last > 1.5 * p50Base) {
                problems.add(String.format("latency crept: p50 %.1f ms -> %.1f ms", p50Base, p50Last));
            }
        } else {
            lat.put("judged", false);
        }
        r.put("results_per_second", median(samples, s -> s.resultsPerSecond()));
        ArrayNode series = r.putArray("samples");
        for (SoakSample s : samples) {
            series.addObject().put("t_s", Math.round(s.tNanos() / 1e9)).put("results_per_s", s.resultsPerSecond())
                    .put("p50_ms", s.p50Ms()).put("p99_ms", s.p99Ms()).put("rss", (long) s.rss()).put("heap", (long) s.heap())
                    .put("direct", (long) s.direct()).put("fds", (long) s.fds());
        }
        ArrayNode p = r.putArray("problems");
        problems.forEach(p::add);
        r.put("verdict", problems.isEmpty() ? "PASS" : "FAIL");
        return r;
    }

    private void check(ObjectNode out, String name, List<SoakSample> base, List<SoakSample> last,
                       java.util.function.ToDoubleFunction<SoakSample> f, double allowance,
                       List<String> problems) {
        double b = finiteMedian(base, f);
        double l = finiteMedian(last, f);
        double limit = b * (1 + tolerancePercent / 100) + allowance;
        out.putObject(name).put("baseline", b).put("last", l).put("limit", limit)
                .put("growth_percent", Math.round((l / b - 1) * 1000) / 10.0);
        if (!(l <= limit)) {
            problems.add(String.format("agent A %s grew from %.0f to %.0f (limit %.0f)", name, b, l, limit));
        }
    }

    private static double finiteMedian(List<SoakSample> s, java.util.function.ToDoubleFunction<SoakSample> f) {
        double[] v = s.stream().mapToDouble(f).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static double median(List<SoakSample> s, java.util.function.ToDoubleFunction<SoakSample> f) {
        double[] v = s.stream().mapToDouble(f).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }
}
