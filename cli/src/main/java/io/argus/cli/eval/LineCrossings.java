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
 * walking right to left is in); the crossing point must lie on the line segment.
 *
 * <p>Two rules, one for each side of the comparison:
 * <ul>
 *   <li><b>as labelled</b> ({@link #of(Sequence, Pt, Pt)}, for ground truth): every change of side
 *       counts; a position exactly on the line decides nothing. A person the annotators put past
 *       the line crossed it, however briefly.</li>
 *   <li><b>as counted</b> ({@link #of(Sequence, Pt, Pt, double)}, for tracker output): the people
 *       task's own rule ({@code LineCrossingCounter}), so that the error measured is the error of
 *       the counts a counting system reports from those tracks. A foot point nearer the line than
 *       {@code band} person heights (at least 2 px) decides nothing, a track's first position only
 *       gives its side (inside the band too), and the crossing point may miss the line's ends by
 *       the band. Without it, a person standing on the line whose box wobbles by a pixel is counted
 *       in and out every few frames (on the labelled sample, one in and one out too many:
 *       BENCHMARKS.md, issue 15). Two parts of the task's rule cannot be applied, because a MOT file
 *       does not say them: the minimum track age (a track's first frames before it was confirmed
 *       are not in the file), and judging only positions where the person was detected (the file
 *       also has the predicted positions of tracks coasting through a missed detection). So the
 *       count from a tracks file can differ from the agent's own.</li>
 * </ul>
 */
public final class LineCrossings {
    private LineCrossings() {
    }

    public record Crossing(long id, int frame, boolean in) {
    }

    /** Every change of side, as labelled (see the class comment). */
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

    /**
     * Crossings as a counting system counts them, with a hysteresis band of {@code band} person
     * heights (see the class comment); {@code band <= 0} is {@link #of(Sequence, Pt, Pt)}.
     */
    public static List<Crossing> of(Sequence s, Pt p1, Pt p2, double band) {
        if (band <= 0) {
            return of(s, p1, p2);
        }
        double length = Math.hypot(p2.x() - p1.x(), p2.y() - p1.y());
        List<Crossing> out = new ArrayList<>();
        for (Map.Entry<Long, List<MotBox>> e : s.tracks().entrySet()) {
            int sign = 0; // last clear side, 0 before the track's first position off the line
            Pt from = null; // where it was taken
            for (MotBox box : e.getValue()) {
                Pt foot = box.foot();
                double distance = Segments.side(p1, p2, foot) / length;
                double margin = Math.max(MIN_MARGIN_PX, band * box.h());
                if (Math.abs(distance) < margin) {
                    if (distance != 0 && sign == 0) {
                        sign = distance > 0 ? 1 : -1;
                        from = foot;
                    }
                    continue;
                }
                int now = distance > 0 ? 1 : -1;
                if (sign != 0 && now != sign && from != null) {
                    double u = Segments.crossingParameter(p1, p2, from, foot);
                    double tol = margin / length;
                    if (!Double.isNaN(u) && u >= -tol && u <= 1 + tol) {
                        out.add(new Crossing(e.getKey(), box.frame(), now > 0));
                    }
                }
                sign = now;
                from = foot;
            }
        }
        return out;
    }

    /** The band's least width in pixels, as the people task has it: a sub-pixel band is no band. */
    static final double MIN_MARGIN_PX = 2;

    /** {in, out} counts, as labelled. */
    public static long[] totals(Sequence s, Pt p1, Pt p2) {
        return totals(s, p1, p2, 0);
    }

    /** {in, out} counts with a hysteresis band of {@code band} person heights (0: as labelled). */
    public static long[] totals(Sequence s, Pt p1, Pt p2, double band) {
        long[] n = new long[2];
        for (Crossing c : of(s, p1, p2, band)) {
            n[c.in() ? 0 : 1]++;
        }
        return n;
    }
}
