package io.argus.task.geom;

/** A point in image coordinates (x right, y down). */
public record Pt(double x, double y) {
    public double dist(Pt o) {
        return Math.hypot(x - o.x, y - o.y);
    }
}
