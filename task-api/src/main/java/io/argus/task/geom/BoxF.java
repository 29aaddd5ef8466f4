package io.argus.task.geom;

/** An axis-aligned box in image coordinates: top-left (x, y), width and height. */
public record BoxF(double x, double y, double w, double h) {

    public static BoxF ofCenter(double cx, double cy, double w, double h) {
        return new BoxF(cx - w / 2, cy - h / 2, w, h);
    }

    public double cx() {
        return x + w / 2;
    }

    public double cy() {
        return y + h / 2;
    }

    public double area() {
        return Math.max(0, w) * Math.max(0, h);
    }

    /** Bottom centre: where a standing person touches the ground. */
    public Pt foot() {
        return new Pt(x + w / 2, y + h);
    }

    public double iou(BoxF o) {
        double ix = Math.max(0, Math.min(x + w, o.x + o.w) - Math.max(x, o.x));
        double iy = Math.max(0, Math.min(y + h, o.y + o.h) - Math.max(y, o.y));
        double inter = ix * iy;
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** Intersection over the smaller box: 1 when one box lies inside the other. */
    public double overlapOfSmaller(BoxF o) {
        double ix = Math.max(0, Math.min(x + w, o.x + o.w) - Math.max(x, o.x));
        double iy = Math.max(0, Math.min(y + h, o.y + o.h) - Math.max(y, o.y));
        double m = Math.min(area(), o.area());
        return m <= 0 ? 0 : ix * iy / m;
    }
}
