package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;
import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns motion blobs and track predictions into a few search regions, each with its own scale.
 *
 * <p>A seed is a box where a person of about {@code personHeight} pixels is expected. Its region
 * is the box grown so that a person partly inside it (or who moved since the prediction) is wholly
 * inside (a quarter of a person height each side, 15% above and below) plus the detector's margin,
 * and its scale brings the expected
 * person to the window's size ({@code 96 / personHeight}, between 0.4 and 2). Searching each
 * region at its own scale costs a fraction of one full-frame pyramid, and big, near people are
 * searched downscaled rather than at full resolution. Overlapping regions at similar scales are
 * merged when their union is barely bigger than they are; otherwise they stay apart
 * (non-maximum suppression removes double finds).
 */
final class Regions {
    static final double MIN_SCALE = 0.4;
    static final double MAX_SCALE = 2.0;

    record Seed(BoxF box, double personHeight) {
    }

    private Regions() {
    }

    static double scaleFor(double personHeight) {
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, HogPersonDetector.WINDOW_PERSON_HEIGHT / personHeight));
    }

    static List<SearchRegion> build(List<Seed> seeds, int frameW, int frameH) {
        List<double[]> rs = new ArrayList<>(); // x0, y0, x1, y1, scale
        for (Seed sd : seeds) {
            BoxF b = sd.box();
            double scale = scaleFor(sd.personHeight());
            double margin = 8 / scale;
            double ph = sd.personHeight();
            double w = Math.max(Math.max(b.w(), ph * 0.4) + ph * 0.5 + 2 * margin, 64 / scale + 2 * margin);
            double h = Math.max(Math.max(b.h(), ph) + ph * 0.3 + 2 * margin, 128 / scale + 2 * margin);
            rs.add(new double[]{b.cx() - w / 2, b.cy() - h / 2, b.cx() + w / 2, b.cy() + h / 2, scale});
        }
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < rs.size(); i++) {
                for (int j = i + 1; j < rs.size(); j++) {
                    double[] a = rs.get(i);
                    double[] b = rs.get(j);
                    double ratio = Math.max(a[4], b[4]) / Math.min(a[4], b[4]);
                    double union = (Math.max(a[2], b[2]) - Math.min(a[0], b[0])) * (Math.max(a[3], b[3]) - Math.min(a[1], b[1]));
                    double sum = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]);
                    // merge only when the union wastes little: a bounding box of two distant
                    // regions would search the empty space between them
                    if (ratio < 1.3 && union < 1.15 * sum && a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) {
                        rs.set(i, new double[]{Math.min(a[0], b[0]), Math.min(a[1], b[1]),
                                Math.max(a[2], b[2]), Math.max(a[3], b[3]), Math.max(a[4], b[4])});
                        rs.remove(j);
                        merged = true;
                        break outer;
                    }
                }
            }
        }
        List<SearchRegion> out = new ArrayList<>();
        for (double[] r : rs) {
            int x0 = (int) Math.max(0, Math.floor(r[0]));
            int y0 = (int) Math.max(0, Math.floor(r[1]));
            int x1 = (int) Math.min(frameW, Math.ceil(r[2]));
            int y1 = (int) Math.min(frameH, Math.ceil(r[3]));
            if (x1 - x0 >= 8 && y1 - y0 >= 8) {
                out.add(new SearchRegion(new Rect(x0, y0, x1 - x0, y1 - y0), r[4]));
            }
        }
        return out;
    }

    /** Pixels the detector will scan: each region's area at its scale. */
    static double scannedArea(List<SearchRegion> rs) {
        double a = 0;
        for (SearchRegion r : rs) {
            a += r.rect().area() * r.scale() * r.scale();
        }
        return a;
    }
}
