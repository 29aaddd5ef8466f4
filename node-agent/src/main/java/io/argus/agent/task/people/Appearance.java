package io.argus.agent.task.people;

import io.argus.media.image.MatScope;
import io.argus.task.geom.BoxF;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

import java.util.List;

/**
 * A person's colour signature: a hue-saturation histogram (16 x 4 bins) of the middle of the box
 * (the outer 20% is mostly background), normalised to sum 1. People walking past each other
 * usually differ in clothing colour even when their boxes overlap, so this keeps track ids from
 * jumping between them. Cheap: a box of 40x90 pixels costs a few microseconds.
 */
final class Appearance {
    static final int H_BINS = 16;
    static final int S_BINS = 4;

    private Appearance() {
    }

    static float @Nullable [] of(Mat frame, BoxF b) {
        int x0 = clamp((int) Math.round(b.x() + b.w() * 0.2), frame.cols());
        int x1 = clamp((int) Math.round(b.x() + b.w() * 0.8), frame.cols());
        int y0 = clamp((int) Math.round(b.y() + b.h() * 0.15), frame.rows());
        int y1 = clamp((int) Math.round(b.y() + b.h() * 0.9), frame.rows());
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            return null;
        }
        try (MatScope s = new MatScope()) {
            Mat roi = s.add(frame.submat(new Rect(x0, y0, x1 - x0, y1 - y0)));
            Mat hsv = s.add(new Mat());
            Imgproc.cvtColor(roi, hsv, Imgproc.COLOR_BGR2HSV);
            Mat hist = s.add(new Mat());
            MatOfInt channels = s.add(new MatOfInt(0, 1));
            MatOfInt sizes = s.add(new MatOfInt(H_BINS, S_BINS));
            MatOfFloat ranges = s.add(new MatOfFloat(0, 180, 0, 256));
            // the empty mask lives in the scope: a temporary could be finalized during the native call
            Imgproc.calcHist(List.of(hsv), channels, s.add(new Mat()), hist, sizes, ranges);
            Core.normalize(hist, hist, 1, 0, Core.NORM_L1);
            float[] out = new float[H_BINS * S_BINS];
            hist.get(0, 0, out);
            return out;
        }
    }

    /** Bhattacharyya distance between two normalised histograms: 0 identical, 1 disjoint. */
    static double distance(float @Nullable [] a, float @Nullable [] b) {
        if (a == null || b == null) {
            return 0.5;
        }
        double bc = 0;
        for (int i = 0; i < a.length; i++) {
            bc += Math.sqrt(Math.max(0, a[i]) * Math.max(0, b[i]));
        }
        return Math.sqrt(Math.max(0, 1 - bc));
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
