package io.argus.agent.task.people;

import io.argus.task.api.people.CountingLine;
import io.argus.task.geom.Pt;
import io.argus.task.geom.Segments;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts crossings of one {@link CountingLine} by tracks' foot points.
 *
 * <p>Jitter and id switches must not count:
 * <ul>
 *   <li><b>hysteresis</b>: a foot point closer to the line than {@code band} times the person's
 *       height decides nothing; a side is only taken once the point is clearly on it, so a person
 *       standing on the line, whose box wobbles, is never counted;</li>
 *   <li><b>minimum age</b>: only confirmed tracks at least {@code minAge} frames old count;</li>
 *   <li><b>first sighting</b>: a track's first side is only remembered. A track born on the
 *       far side after an id switch therefore does not count again. A track first seen inside the
 *       band takes the side of that first position, clear or not: it is where the person came from
 *       (a person found again just before the line, after a gap in detection, counts when they
 *       step clearly past it; jitter inside the band still decides nothing, so a person standing
 *       on the line counts at most once, when they walk off it to the other side).</li>
 * </ul>
 * The crossing point, on the segment between the last two clear positions, must fall within the
 * line's extent (with a tolerance of {@code band}), so walking around its end is not a crossing.
 */
public final class LineCrossingCounter {
    private final CountingLine line;
    private final double band;
    private final int minAge;
    /** track id -> last clear side (+1/-1) and the foot point where it was taken */
    public final Map<Long, Side> sides = new HashMap<>();
    public long in;
    public long out;

    public static final class Side {
        public int sign;
        public double x;
        public double y;

        public Side() {
        }

        Side(int sign, Pt p) {
            this.sign = sign;
            this.x = p.x();
            this.y = p.y();
        }
    }

    public record Crossing(String line, long trackId, boolean in, Pt at) {
    }

    public LineCrossingCounter(CountingLine line, double band, int minAge) {
        this.line = line;
        this.band = band;
        this.minAge = minAge;
    }

    public CountingLine line() {
        return line;
    }

    /** Feeds the tracks seen in one frame; returns the crossings they made. */
    public List<Crossing> update(List<Track> tracks) {
        List<Crossing> out = new ArrayList<>();
        for (Track t : tracks) {
            if (!t.confirmed()) {
                continue;
            }
            Crossing c = update(t.id, t.foot(), t.h, t.age);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    @Nullable Crossing update(long trackId, Pt foot, double height, int age) {
        double signedDistance = Segments.side(line.p1(), line.p2(), foot) / line.length();
        double margin = Math.max(2, band * height);
        if (Math.abs(signedDistance) < margin) {
            if (signedDistance != 0 && !sides.containsKey(trackId)) {
                // first seen inside the band: the side it started on is known, only not clearly.
                // A person picked up again near the line (after a detection gap or an id switch,
                // typically where people pass each other) otherwise never counts: their first
                // clear side would be taken as where they came from
                sides.put(trackId, new Side(signedDistance > 0 ? 1 : -1, foot));
            }
            return null;
        }
        int sign = signedDistance > 0 ? 1 : -1;
        Side prev = sides.get(trackId);
        if (prev == null) {
            sides.put(trackId, new Side(sign, foot));
            return null;
        }
        if (prev.sign == sign) {
            prev.x = foot.x();
            prev.y = foot.y();
            return null;
        }
        Pt from = new Pt(prev.x, prev.y);
        double t = Segments.crossingParameter(line.p1(), line.p2(), from, foot);
        double tol = margin / line.length();
        prev.sign = sign;
        prev.x = foot.x();
        prev.y = foot.y();
        if (Double.isNaN(t) || t < -tol || t > 1 + tol || age < minAge) {
            return null;
        }
        boolean isIn = sign > 0; // from negative to positive
        if (isIn) {
            in++;
        } else {
            this.out++;
        }
        return new Crossing(line.name(), trackId, isIn, foot);
    }

    /** Forgets tracks that no longer exist. */
    public void retain(Set<Long> live) {
        sides.keySet().retainAll(live);
    }
}
