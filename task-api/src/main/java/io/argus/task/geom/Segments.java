package io.argus.task.geom;

import java.math.BigDecimal;

/** Segment geometry. */
public final class Segments {
    private Segments() {
    }

    /**
     * The side of p relative to the directed line a->b:
     * {@code s = (bx-ax)(py-ay) - (by-ay)(px-ax)}. In image coordinates (y down), s > 0 means p is
     * to the right of the direction of travel a->b.
     */
    public static double side(Pt a, Pt b, Pt p) {
        return (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
    }

    /**
     * The sign of {@link #side}, exactly: -1, 0 or 1. The floating-point value of {@code side} can
     * have the wrong sign, or be 0, when the three points are nearly collinear; a simple-polygon
     * check that trusts it accepts touching edges or refuses correct zones. The double result is
     * used when it is far enough from 0 to be sure of its sign (Shewchuk's error bound for this
     * expression); otherwise the determinant is recomputed with exact decimals, which represent every
     * double exactly.
     */
    public static int orientation(Pt a, Pt b, Pt p) {
        double left = (b.x() - a.x()) * (p.y() - a.y());
        double right = (b.y() - a.y()) * (p.x() - a.x());
        double det = left - right;
        double bound = ERR_BOUND * (Math.abs(left) + Math.abs(right));
        if (Double.isFinite(det) && Double.isFinite(bound) && Math.abs(det) > bound) {
            return det > 0 ? 1 : -1;
        }
        return exactOrientation(a, b, p);
    }

    /** Shewchuk's ccwerrboundA, (3 + 16 eps) eps with eps = 2^-53. */
    private static final double ERR_BOUND = (3.0 + 16.0 * 0x1p-53) * 0x1p-53;

    static int exactOrientation(Pt a, Pt b, Pt p) {
        BigDecimal ax = new BigDecimal(a.x());
        BigDecimal ay = new BigDecimal(a.y());
        BigDecimal l = new BigDecimal(b.x()).subtract(ax).multiply(new BigDecimal(p.y()).subtract(ay));
        BigDecimal r = new BigDecimal(b.y()).subtract(ay).multiply(new BigDecimal(p.x()).subtract(ax));
        return l.compareTo(r);
    }

    /** Proper or touching intersection of segments p1p2 and q1q2, decided with exact orientations. */
    public static boolean intersect(Pt p1, Pt p2, Pt q1, Pt q2) {
        int d1 = orientation(q1, q2, p1);
        int d2 = orientation(q1, q2, p2);
        int d3 = orientation(p1, p2, q1);
        int d4 = orientation(p1, p2, q2);
        if (d1 * d2 < 0 && d3 * d4 < 0) {
            return true;
        }
        return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2))
                || (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2));
    }

    /**
     * True if the two edges q->p and q->r, which share the vertex q, have more than q in common:
     * they are collinear and leave q in the same direction (a spike that folds back on itself).
     */
    public static boolean overlapBeyondShared(Pt p, Pt q, Pt r) {
        if (orientation(p, q, r) != 0) {
            return false;
        }
        // collinear vectors q->p and q->r point the same way iff a non-zero component has the same sign in both
        return cmp(p.x(), q.x()) * cmp(r.x(), q.x()) > 0 || cmp(p.y(), q.y()) * cmp(r.y(), q.y()) > 0
                || same(p, q) || same(r, q);
    }

    /** Same position; unlike {@code Pt.equals}, -0.0 and 0.0 are the same coordinate. */
    public static boolean same(Pt a, Pt b) {
        return a.x() == b.x() && a.y() == b.y();
    }

    /** Numeric comparison (-0.0 == 0.0, unlike {@link Double#compare}). */
    static int cmp(double a, double b) {
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** For a point p already known to be collinear with a and b: whether it lies between them (ends included). */
    public static boolean onSegment(Pt a, Pt b, Pt p) {
        return Math.min(a.x(), b.x()) <= p.x() && p.x() <= Math.max(a.x(), b.x())
                && Math.min(a.y(), b.y()) <= p.y() && p.y() <= Math.max(a.y(), b.y());
    }

    /**
     * Where segment p->q crosses the infinite line through a->b, as the parameter t along a->b
     * (0 at a, 1 at b); NaN if p->q is parallel to it.
     */
    public static double crossingParameter(Pt a, Pt b, Pt p, Pt q) {
        double sp = side(a, b, p);
        double sq = side(a, b, q);
        if (sp == sq) {
            return Double.NaN;
        }
        double u = sp / (sp - sq); // along p->q
        double ix = p.x() + u * (q.x() - p.x());
        double iy = p.y() + u * (q.y() - p.y());
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        return ((ix - a.x()) * dx + (iy - a.y()) * dy) / (dx * dx + dy * dy);
    }
}
