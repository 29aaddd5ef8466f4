package io.argus.cli.eval;

import io.argus.task.geom.Pt;
import io.argus.task.geom.Segments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Crossings of a directed counting line p1 -> p2 by the foot points (bottom centres) of each track,
 * between consecutive positions of that track in a {@link Sequence}. With
 * {@code s = (x2-x1)(y-y1) - (y2-y1)(x-x1)}, s going from negative to positive is <b>in</b>, positive
 * to negative <b>out</b> (the people task's {@code CountingLine} convention: for (384,0)-(384,576),
 * walking right to left is in); the crossing point must lie on the line segment. A position exactly
 * on the line decides nothing. Unlike the people task there is no hysteresis band or minimum track
 * age: labelled or exported positions are taken as they are.
 */
public final class LineCrossings {
    private LineCrossings() {
    }

    public record Crossing(long id, int frame, boolean in) {
    }

    public static List<Crossing> of(Sequence s, Pt p1, Pt p2) {
        List<Crossing> out = new ArrayList<>();
        for (Map.Entry<Long, List<MotBox>> e : s.tracks().entrySet()) {
            List<MotBox> t = e.getValue();
            Pt last = null; // the latest position off the line
            for (MotBox box : t) {
                Pt b = box.foot();
                double sb = Segments.side(p1, p2, b);
                if (sb == 0) {
                    continue;
                }
                if (last != null) {
                    double sa = Segments.side(p1, p2, last);
                    if ((sa > 0) != (sb > 0)) {
                        double u = Segments.crossingParameter(p1, p2, last, b);
                        if (u >= 0 && u <= 1) {
                            out.add(new Crossing(e.getKey(), box.frame(), sb > 0));
                        }
                    }
                }
                last = b;
            }
        }
        return out;
    }

    /** {in, out} counts. */
    public static long[] totals(Sequence s, Pt p1, Pt p2) {
        long[] n = new long[2];
        for (Crossing c : of(s, p1, p2)) {
            n[c.in() ? 0 : 1]++;
        }
        return n;
    }
}
