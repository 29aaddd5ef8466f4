package io.argus.task.geom;

import java.util.List;

/** A simple polygon (zone), in image coordinates. */
public record Polygon(List<Pt> points) {

    public Polygon {
        points = List.copyOf(points);
        if (points.size() < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 points");
        }
    }

    /** Even-odd ray casting. */
    public boolean contains(Pt p) {
        boolean inside = false;
        int n = points.size();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            Pt a = points.get(i);
            Pt b = points.get(j);
            if ((a.y() > p.y()) != (b.y() > p.y())
                    && p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) {
                inside = !inside;
            }
        }
        return inside;
    }

    /**
     * True if the polygon is not simple: two edges touch or cross, two consecutive edges overlap,
     * or a position repeats. O(n log n) ({@link PolygonSweep}); the quadratic pairwise check it
     * replaced froze an agent's event loops for 200 s on a 100,000-point zone.
     */
    public boolean selfIntersects() {
        return PolygonSweep.selfIntersects(points);
    }

    public double area() {
        double s = 0;
        int n = points.size();
        for (int i = 0; i < n; i++) {
            Pt a = points.get(i);
            Pt b = points.get((i + 1) % n);
            s += a.x() * b.y() - b.x() * a.y();
        }
        return Math.abs(s) / 2;
    }
}
