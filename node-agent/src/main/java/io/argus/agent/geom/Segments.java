package io.argus.agent.geom;

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

    /** Proper or touching intersection of segments p1p2 and q1q2. */
    public static boolean intersect(Pt p1, Pt p2, Pt q1, Pt q2) {
        double d1 = side(q1, q2, p1);
        double d2 = side(q1, q2, p2);
        double d3 = side(p1, p2, q1);
        double d4 = side(p1, p2, q2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
            return true;
        }
        return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2))
                || (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2));
    }

    private static boolean onSegment(Pt a, Pt b, Pt p) {
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
