package io.argus.app.console.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.cluster.api.CoordinatorApi;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stream's counts as the coordinator holds them, per minute, over its whole history: line
 * crossings per line and direction and zone entries and exits per zone, read from the HTTP
 * gateway's {@code /v1/streams/{id}/counts} a week at a time (the most one answer serves in
 * 1-minute buckets), walking back from now. The gateway does not say where the history begins, so
 * the walk stops when the minutes read add up to the all-time totals ({@code /totals}), or after
 * {@link #MAX_EMPTY_WEEKS} empty weeks in a row (retention deleted the oldest events: the totals
 * keep them, the buckets cannot), and at most {@link #MAX_WEEKS} back. Blocking: call it off the
 * JavaFX thread.
 */
final class CountsHistory {
    static final long BUCKET_MS = 60_000;
    static final long WEEK_MS = 7 * 24 * 3_600_000L;
    static final int MAX_EMPTY_WEEKS = 8;
    static final int MAX_WEEKS = 520;

    private CountsHistory() {
    }

    /**
     * Minute start (epoch ms) to column to count; columns are {@code line NAME DIRECTION}
     * ({@code line door in}) and {@code zone NAME enter|exit}.
     */
    static java.util.SortedMap<Long, Map<String, Long>> fetch(CoordinatorApi api, String base, String stream, long nowMs)
            throws IOException, InterruptedException {
        TreeMap<Long, Map<String, Long>> out = new TreeMap<>();
        String path = "/v1/streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8).replace("+", "%20");
        for (String kind : List.of("line", "zone")) {
            Map<String, Long> totals = counts(api.call(base, "GET", path + "/totals?kind=" + kind, null).path("totals"));
            Map<String, Long> seen = new HashMap<>();
            long to = nowMs + 1;
            int empty = 0;
            for (int week = 0; week < MAX_WEEKS && empty < MAX_EMPTY_WEEKS && !covered(seen, totals); week++) {
                long from = to - WEEK_MS;
                JsonNode answer = api.call(base, "GET", path + "/counts?kind=" + kind + "&bucket=1m&from=" + from
                        + "&to=" + to, null);
                boolean any = false;
                for (JsonNode b : answer.path("buckets")) {
                    Map<String, Long> c = counts(b.path("counts"));
                    Map<String, Long> row = out.computeIfAbsent(b.path("start_ms").asLong(), k -> new LinkedHashMap<>());
                    for (Map.Entry<String, Long> e : c.entrySet()) {
                        if (e.getValue() == 0) {
                            continue;
                        }
                        any = true;
                        row.merge(kind + " " + e.getKey().replace('.', ' '), e.getValue(), Long::sum);
                        seen.merge(e.getKey(), e.getValue(), Long::sum);
                    }
                }
                empty = any ? 0 : empty + 1;
                to = from;
            }
        }
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    /** True when every total has been read back in minutes (nothing older is left to find). */
    private static boolean covered(Map<String, Long> seen, Map<String, Long> totals) {
        for (Map.Entry<String, Long> t : totals.entrySet()) {
            if (seen.getOrDefault(t.getKey(), 0L) < t.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            m.put(k, n.path(k).asLong());
        }
        return m;
    }
}
