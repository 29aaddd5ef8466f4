package io.argus.agent.task.people;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.task.api.people.CountingLine;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.people.Zone;
import io.argus.task.geom.Pt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@code people} task remembers about one stream: the background model, the tracks, the
 * line counters and who is in which zone. Everything but the background model (re-learned within
 * a few seconds) survives export and import, so a stream moved to another agent keeps its totals
 * and its track ids.
 */
public final class PeopleState implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    MotionGate gate = new MotionGate();
    Tracker tracker = new Tracker(Tracker.TrackerConfig.DEFAULT);
    final Map<String, LineCrossingCounter> counters = new LinkedHashMap<>();
    final Map<String, CountingLine> lineGeometry = new HashMap<>();
    /** zone name -> track id -> capture time (us) it entered; sorted, so events come in one order */
    final Map<String, TreeMap<Long, Long>> zoneEntered = new LinkedHashMap<>();
    /** zone name -> {entries, exits} so far */
    final Map<String, long[]> zoneTotals = new LinkedHashMap<>();
    /** person height per image row, learned from the confirmed tracks */
    PerspectiveHeight heights = new PerspectiveHeight();
    long lastFullUs = Long.MIN_VALUE;
    long frames;

    /** Applies (possibly changed) lines and settings; totals of lines that keep their name survive. */
    void configure(PeopleConfig cfg) {
        if (tracker.config().maxMisses() != cfg.maxMisses()) {
            Tracker t = new Tracker(new Tracker.TrackerConfig(Tracker.TrackerConfig.DEFAULT.confirmHits(),
                    cfg.maxMisses(), Tracker.TrackerConfig.DEFAULT.gate()));
            t.tracks.addAll(tracker.tracks);
            t.nextId = tracker.nextId;
            t.nextProvisional = tracker.nextProvisional;
            tracker = t;
        }
        Map<String, LineCrossingCounter> next = new LinkedHashMap<>();
        for (CountingLine l : cfg.lines()) {
            LineCrossingCounter old = counters.get(l.name());
            LineCrossingCounter c = new LineCrossingCounter(l, cfg.band(), cfg.minAge());
            if (old != null) {
                c.in = old.in;
                c.out = old.out;
                if (l.equals(lineGeometry.get(l.name()))) {
                    c.sides.putAll(old.sides);
                }
            }
            next.put(l.name(), c);
            lineGeometry.put(l.name(), l);
        }
        counters.clear();
        counters.putAll(next);
        zoneEntered.keySet().retainAll(cfg.zones().stream().map(Zone::name).toList());
        zoneTotals.keySet().retainAll(cfg.zones().stream().map(Zone::name).toList());
        for (Zone z : cfg.zones()) {
            zoneEntered.computeIfAbsent(z.name(), k -> new TreeMap<>());
            zoneTotals.computeIfAbsent(z.name(), k -> new long[2]);
        }
    }

    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((name, c) -> {
            out.put("line." + name + ".in", c.in);
            out.put("line." + name + ".out", c.out);
        });
        return out;
    }

    @Override
    public void close() {
        gate.close();
    }

    // ---------------------------------------------------------------- export / import

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Snapshot(int version, long frames, long nextId, long nextProvisional, long lastFullUs,
                           List<Track> tracks, Map<String, LineSnapshot> lines,
                           Map<String, Map<Long, Long>> zones, byte[] background, long gateFrames,
                           Map<String, long[]> zoneTotals, double[] heights) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LineSnapshot(double x1, double y1, double x2, double y2, long in, long out,
                               Map<Long, LineCrossingCounter.Side> sides) {
    }

    byte[] export() {
        Map<String, LineSnapshot> lines = new LinkedHashMap<>();
        counters.forEach((name, c) -> {
            CountingLine l = c.line();
            lines.put(name, new LineSnapshot(l.p1().x(), l.p1().y(), l.p2().x(), l.p2().y(), c.in, c.out,
                    new HashMap<>(c.sides)));
        });
        Map<String, Map<Long, Long>> zones = new LinkedHashMap<>(zoneEntered);
        PerspectiveHeight p = heights;
        Snapshot s = new Snapshot(3, frames, tracker.nextId, tracker.nextProvisional, lastFullUs,
                new ArrayList<>(tracker.tracks), lines, zones, gate.exportBackground(), gate.frames(),
                zoneTotals, new double[] {p.n, p.sy, p.sh, p.syy, p.syh, p.shh, p.samples});
        try {
            return JSON.writeValueAsBytes(s);
        } catch (IOException e) {
            throw new IllegalStateException("cannot export people state", e);
        }
    }

    static PeopleState restore(byte[] data) throws IOException {
        Snapshot s = JSON.readValue(data, Snapshot.class);
        PeopleState st = new PeopleState();
        st.frames = s.frames();
        st.lastFullUs = s.lastFullUs();
        st.tracker.nextId = Math.max(1, s.nextId());
        st.tracker.nextProvisional = Math.max(1, s.nextProvisional());
        if (s.tracks() != null) {
            st.tracker.tracks.addAll(s.tracks());
        }
        if (s.lines() != null) {
            s.lines().forEach((name, l) -> {
                CountingLine line = new CountingLine(name, new Pt(l.x1(), l.y1()),
                        new Pt(l.x2(), l.y2()));
                LineCrossingCounter c = new LineCrossingCounter(line, 0.15, 5);
                c.in = l.in();
                c.out = l.out();
                if (l.sides() != null) {
                    c.sides.putAll(l.sides());
                }
                st.counters.put(name, c);
                st.lineGeometry.put(name, line);
            });
        }
        if (s.zones() != null) {
            s.zones().forEach((k, v) -> st.zoneEntered.put(k, new TreeMap<>(v)));
        }
        if (s.zoneTotals() != null) {
            s.zoneTotals().forEach((k, v) -> st.zoneTotals.put(k, v != null && v.length == 2 ? v.clone() : new long[2]));
        }
        double[] h = s.heights();
        if (h != null && h.length == 7) {
            PerspectiveHeight p = st.heights;
            p.n = h[0];
            p.sy = h[1];
            p.sh = h[2];
            p.syy = h[3];
            p.syh = h[4];
            p.shh = h[5];
            p.samples = (long) h[6];
        }
        st.gate.importBackground(s.background(), s.gateFrames());
        return st;
    }
}
