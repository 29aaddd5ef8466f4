package io.argus.cli.analyze;

import io.argus.protocol.v1.Event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code people} results of one stream of an analyze run add up to: the agent's line
 * counters, the crossings and zone entries and exits it raised (each event id once), occupancy
 * frame by frame, and the MOT rows kept for the ground-truth comparison.
 */
final class StreamTally {
    final Map<String, long[]> totals = new LinkedHashMap<>();
    final List<Event> crossings = new ArrayList<>();
    final Set<String> eventIds = new HashSet<>();
    final Map<String, long[]> fromEvents = new HashMap<>();
    final Map<Long, Map<String, Double>> perFrame = new HashMap<>(); // frame(1-based) -> counts
    final Map<String, ZoneTally> zones = new LinkedHashMap<>();
    double occupancyFinal;
    double occupancyMax;
    boolean occupancyReported; // people.occupancy seen (else people.visible stands in)
    long lastFrame;
    // the MOT rows as written, kept for the ground-truth comparison (first stream only)
    final StringBuilder motRows = new StringBuilder();
    int motRowCount;

    /** Per zone: what the agent reported frame by frame, and the entries and exits it raised. */
    static final class ZoneTally {
        double occupancyFinal;
        double occupancyMax;
        double dwellMax;
        boolean seenNumbers;
        long entries;
        long exits;
        double exitDwellMax = Double.NaN;
    }

    /** Crossings and zone entries and exits, each event id once (a replayed frame repeats its events). */
    static void countEvent(StreamTally d, Event e) {
        String type = e.getType();
        boolean counted = type.equals("crossing") || type.equals("zone_enter") || type.equals("zone_exit");
        if (!counted || !d.eventIds.add(e.getId())) {
            return;
        }
        if (type.equals("crossing")) {
            d.crossings.add(e);
            long[] t = d.fromEvents.computeIfAbsent(e.getAttributesOrDefault("line", ""), k -> new long[2]);
            t["in".equals(e.getAttributesOrDefault("direction", "")) ? 0 : 1]++;
            return;
        }
        ZoneTally zd = d.zones.computeIfAbsent(e.getAttributesOrDefault("zone", ""), k -> new ZoneTally());
        if (type.equals("zone_enter")) {
            zd.entries++;
        } else {
            zd.exits++;
            try {
                double dwell = Double.parseDouble(e.getAttributesOrDefault("dwell_s", ""));
                zd.exitDwellMax = Double.isNaN(zd.exitDwellMax) ? dwell : Math.max(zd.exitDwellMax, dwell);
            } catch (NumberFormatException ignored) {
                // an exit without a dwell time still counts as an exit
            }
        }
    }
}
