package io.argus.task.geom;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Whether a closed polygon is simple, in O(n log n): the Shamos–Hoey sweep. A vertical line sweeps
 * the vertices left to right (ties broken by y); the edges it crosses are kept ordered from bottom
 * to top, and an edge is tested only against its neighbours in that order when it is inserted,
 * and its two neighbours against each other when it is removed. If any two edges meet, the
 * leftmost meeting point is found this way before the line passes it, so the first test that
 * fails answers the question and the order is never needed past it.
 *
 * <p>The polygon is not simple when two edges that do not follow each other touch or cross, when
 * two that do follow each other overlap beyond their shared vertex (a spike folding back), or when
 * a position repeats (two vertices at one point, including a zero-length edge). All orientation
 * tests are exact ({@link Segments#orientation}), so touching and collinear cases are decided by the
 * numbers given, not by rounding.
 */
public final class PolygonSweep {
    private final Pt[] v;
    private final int n;
    /** Pairs of edges tested so far: at most three per edge (two neighbours when it arrives, one pair when it leaves). */
    private long tests;

    private PolygonSweep(List<Pt> points) {
        n = points.size();
        v = new Pt[n];
        for (int i = 0; i < n; i++) {
            Pt p = points.get(i);
            v[i] = new Pt(p.x() + 0.0, p.y() + 0.0); // -0.0 + 0.0 is 0.0: one key per position
        }
    }

    /** True if the closed polygon through {@code points} (last joined to first) is not simple. */
    public static boolean selfIntersects(List<Pt> points) {
        if (points.size() < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 points");
        }
        return new PolygonSweep(points).run();
    }

    /**
     * How many pairs of edges the sweep tests for {@code points}: the measure of its O(n log n)
     * claim that a test can check without a clock (at most 3n, where testing every pair is n²/2).
     */
    static long pairTests(List<Pt> points) {
        PolygonSweep s = new PolygonSweep(points);
        s.run();
        return s.tests;
    }

    private boolean run() {
        Integer[] byPosition = new Integer[n];
        for (int i = 0; i < n; i++) {
            byPosition[i] = i;
        }
        Arrays.sort(byPosition, (a, b) -> lex(v[a], v[b]));
        for (int i = 1; i < n; i++) {
            if (lex(v[byPosition[i - 1]], v[byPosition[i]]) == 0) {
                return true; // one position twice: the edges at it touch
            }
        }
        // events: 2e + 1 inserts edge e at its left end, 2e removes it at its right end
        Integer[] events = new Integer[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            events[i] = i;
        }
        Arrays.sort(events, (a, b) -> {
            int c = lex(eventPoint(a), eventPoint(b));
            // at one vertex, edges that end there leave before edges that start there arrive, so the
            // order never compares an edge with one that only meets it at its end
            return c != 0 ? c : Integer.compare(a & 1, b & 1);
        });
        TreeSet<Integer> status = new TreeSet<>(this::below);
        for (int ev : events) {
            int e = ev >> 1;
            if ((ev & 1) == 1) {
                status.add(e);
                Integer lo = status.lower(e);
                Integer hi = status.higher(e);
                if ((lo != null && meet(e, lo)) || (hi != null && meet(e, hi))) {
                    return true;
                }
            } else {
                Integer lo = status.lower(e);
                Integer hi = status.higher(e);
                if (!status.remove(e)) {
                    status.removeIf(x -> x == e); // only reachable if the order broke at an unseen meeting
                }
                if (lo != null && hi != null && meet(lo, hi)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Pt eventPoint(int ev) {
        return (ev & 1) == 1 ? left(ev >> 1) : right(ev >> 1);
    }

    private Pt start(int e) {
        return v[e];
    }

    private Pt end(int e) {
        return v[(e + 1) % n];
    }

    private Pt left(int e) {
        return lex(start(e), end(e)) <= 0 ? start(e) : end(e);
    }

    private Pt right(int e) {
        return lex(start(e), end(e)) <= 0 ? end(e) : start(e);
    }

    /**
     * Order of two edges crossed by the sweep line: the one that starts later is placed by the side
     * of the other its left end lies on (by its right end if the left end is on the other's line).
     * Independent of where the line is, so it is consistent for as long as no two edges have met.
     */
    private int below(Integer s, Integer t) {
        if (s.intValue() == t.intValue()) {
            return 0;
        }
        boolean sNewer = lex(left(s), left(t)) >= 0;
        int newer = sNewer ? s : t;
        int older = sNewer ? t : s;
        int side = Segments.orientation(left(older), right(older), left(newer));
        if (side == 0) {
            side = Segments.orientation(left(older), right(older), right(newer));
        }
        if (side == 0) {
            return Integer.compare(s, t); // collinear: they overlap, which the neighbour test reports
        }
        return sNewer ? side : -side;
    }

    private boolean meet(int a, int b) {
        tests++;
        if ((a + 1) % n == b) {
            return Segments.overlapBeyondShared(start(a), end(a), end(b));
        }
        if ((b + 1) % n == a) {
            return Segments.overlapBeyondShared(start(b), end(b), end(a));
        }
        return Segments.intersect(start(a), end(a), start(b), end(b));
    }

    private static int lex(Pt a, Pt b) {
        int c = Segments.cmp(a.x(), b.x());
        return c != 0 ? c : Segments.cmp(a.y(), b.y());
    }
}
