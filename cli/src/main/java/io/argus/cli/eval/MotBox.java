package io.argus.cli.eval;

import io.argus.task.geom.Pt;

/**
 * One row of a MOTChallenge file: a box of person {@code id} in 1-based {@code frame}, top-left
 * corner {@code (x, y)}, size {@code w x h} in pixels; {@code score} is the tracker's confidence
 * (1 for ground truth).
 */
public record MotBox(int frame, long id, double x, double y, double w, double h, double score) {

    /** The foot point (bottom centre): where a person stands, used for lines and zones. */
    public Pt foot() {
        return new Pt(x + w / 2, y + h);
    }

    /**
     * Intersection over union on continuous pixel coordinates, as py-motmetrics'
     * {@code distances.boxiou} computes it (no "+1" pixel convention); 0 when nothing overlaps.
     */
    public double iou(MotBox o) {
        double iw = Math.min(x + w, o.x + o.w) - Math.max(x, o.x);
        double ih = Math.min(y + h, o.y + o.h) - Math.max(y, o.y);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = w * h + o.w * o.h - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
