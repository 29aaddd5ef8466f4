package io.argus.app.console.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.cluster.api.CoordinatorApi;
import io.argus.protocol.v1.Event;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The counts of one stream in one window of a {@link CountsRange}, per bucket: line crossings per
 * line and direction ({@code door in}) and zone entries and exits per zone ({@code hall enter}),
 * read either from the coordinator's gateway or from the events the console itself holds.
 *
 * @param startMs  first bucket's start
 * @param endMs    last bucket's end (exclusive)
 * @param bucketMs bucket size
 * @param counts   bucket start to series name to count (buckets without counts left out)
 * @param names    the series, lines before zones, in name order
 * @param totals   all-time totals per series name, as the coordinator keeps them; empty for the
 *                 console's own events
 */
record CountsWindow(long startMs, long endMs, long bucketMs, Map<Long, Map<String, Long>> counts, List<String> names,
                    Map<String, Long> totals) {

    /**
     * Asks the coordinator's gateway for the window in {@code range}'s buckets, lines then zones
     * (two requests). Blocking: off the JavaFX thread.
     */
    static CountsWindow fromCoordinator(CoordinatorApi api, String base, String stream, CountsRange range, long startMs,
                                        long endMs) throws IOException, InterruptedException {
        String path = "/v1/streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8).replace("+", "%20");
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String kind : List.of("line", "zone")) {
            JsonNode answer = api.call(base, "GET", path + "/counts?kind=" + kind + "&bucket=" + range.gatewayBucket()
                    + "&from=" + startMs + "&to=" + endMs, null);
            for (JsonNode b : answer.path("buckets")) {
                Map<String, Long> row = counts.computeIfAbsent(b.path("start_ms").asLong(), k -> new HashMap<>());
                for (Map.Entry<String, Long> e : numbers(b.path("counts")).entrySet()) {
                    row.merge(seriesName(e.getKey()), e.getValue(), Long::sum);
                }
            }
            // sorted per kind, so that the legend lists lines, then zones, each in name order
            new java.util.TreeMap<>(numbers(answer.path("totals"))).forEach((k, v) -> totals.merge(seriesName(k), v,
                    Long::sum));
        }
        List<String> names = new ArrayList<>(totals.keySet());
        for (String n : sortedNames(counts.values())) {
            if (!names.contains(n)) {
                names.add(n); // counted in the window but not in the totals: a count recorded meanwhile
            }
        }
        return new CountsWindow(startMs, endMs, range.bucketMs(), counts, names, totals);
    }

    /**
     * Buckets the crossings and zone entries and exits among {@code events} (the console's own, as
     * its people task reported them) that fall in the window, by their capture time.
     */
    static CountsWindow fromEvents(Collection<Event> events, CountsRange range, long startMs, long endMs) {
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        TreeSet<String> lines = new TreeSet<>();
        TreeSet<String> zones = new TreeSet<>();
        for (Event e : events) {
            long t = e.getTimeUs() / 1000;
            Map<String, String> a = e.getAttributesMap();
            String name;
            if (e.getType().equals("crossing")) {
                name = a.getOrDefault("line", "") + " " + a.getOrDefault("direction", "");
                lines.add(name);
            } else if (e.getType().equals("zone_enter") || e.getType().equals("zone_exit")) {
                name = a.getOrDefault("zone", "") + " " + e.getType().substring("zone_".length());
                zones.add(name);
            } else {
                continue;
            }
            if (t >= startMs && t < endMs) {
                counts.computeIfAbsent(Math.floorDiv(t, range.bucketMs()) * range.bucketMs(), k -> new HashMap<>())
                        .merge(name, 1L, Long::sum);
            }
        }
        List<String> names = new ArrayList<>(lines);
        names.addAll(zones);
        return new CountsWindow(startMs, endMs, range.bucketMs(), counts, names, Map.of());
    }

    /**
     * One series per name, with a point for every bucket of the window: a quiet bucket is a 0 the
     * line drops to, not a gap it would be drawn straight across.
     */
    List<CountsChartModel.Series> series() {
        List<CountsChartModel.Series> out = new ArrayList<>();
        for (String n : names) {
            List<CountsChartModel.Point> points = new ArrayList<>();
            for (long b = startMs; b < endMs; b += bucketMs) {
                points.add(new CountsChartModel.Point(b, counts.getOrDefault(b, Map.of()).getOrDefault(n, 0L)));
            }
            out.add(new CountsChartModel.Series(n, List.copyOf(points)));
        }
        return out;
    }

    /** "door.in" (the gateway's key) to "door in"; a line's name may itself hold dots. */
    static String seriesName(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(0, dot) + " " + key.substring(dot + 1);
    }

    private static TreeSet<String> sortedNames(Collection<Map<String, Long>> rows) {
        TreeSet<String> s = new TreeSet<>();
        rows.forEach(r -> s.addAll(r.keySet()));
        return s;
    }

    private static Map<String, Long> numbers(JsonNode n) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            m.put(k, n.path(k).asLong());
        }
        return m;
    }
}
