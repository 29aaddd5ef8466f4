package io.argus.agent.geom;

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

    /** True if two non-adjacent edges cross: such a zone has no meaningful inside. */
    public boolean selfIntersects() {
        int n = points.size();
        for (int i = 0; i < n; i++) {
            Pt a1 = points.get(i);
            Pt a2 = points.get((i + 1) % n);
            for (int j = i + 1; j < n; j++) {
                if (j == i || (j + 1) % n == i || (i + 1) % n == j) {
                    continue; // adjacent edges share a vertex
                }
                Pt b1 = points.get(j);
                Pt b2 = points.get((j + 1) % n);
                if (Segments.intersect(a1, a2, b1, b2)) {
                    return true;
                }
            }
        }
        return false;
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
