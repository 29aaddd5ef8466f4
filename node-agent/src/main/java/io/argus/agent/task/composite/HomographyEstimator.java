package io.argus.agent.task.composite;

import io.argus.media.image.MatScope;
import org.jspecify.annotations.Nullable;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.DMatch;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfDMatch;
import org.opencv.core.MatOfKeyPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.features2d.AKAZE;
import org.opencv.features2d.DescriptorMatcher;
import org.opencv.features2d.Feature2D;
import org.opencv.features2d.ORB;
import org.opencv.imgproc.Imgproc;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Estimates the homography that maps one camera's image onto another's, and refuses it when it is
 * not believable: {@code findHomography} returns a matrix even for unrelated pictures.
 *
 * <p>Pipeline: features (AKAZE for setup, accurate to 1-2 px; ORB for cheap re-checks), Lowe's
 * ratio test (0.75), RANSAC with a 3 px threshold. Validation: at least {@code MIN_INLIERS} inliers
 * making up at least a quarter of the ratio-test matches; the warped outline of the moving image is
 * a convex quadrilateral; its area is within a factor 4 of the original.
 */
public final class HomographyEstimator {
    static final int MIN_INLIERS = 30;

    public enum Features { AKAZE, ORB }

    /** A validated homography (3x3, row-major) from the moving image to the reference, or why there is none. */
    public record Estimate(double @Nullable [] h, int matches, int inliers, @Nullable String refusal) {
        public boolean ok() {
            return refusal == null;
        }
    }

    private HomographyEstimator() {
    }

    /** Homography mapping points of {@code moving} into {@code reference} (both BGR or gray). */
    public static Estimate estimate(Mat reference, Mat moving, Features kind) {
        try (MatScope s = new MatScope()) {
            Mat g1 = s.add(gray(reference));
            Mat g2 = s.add(gray(moving));
            Feature2D det = kind == Features.AKAZE ? AKAZE.create() : ORB.create(3000);
            MatOfKeyPoint k1 = s.add(new MatOfKeyPoint());
            MatOfKeyPoint k2 = s.add(new MatOfKeyPoint());
            Mat d1 = s.add(new Mat());
            Mat d2 = s.add(new Mat());
            // the masks live in the scope and the detector is fenced: OpenCV's Java objects free their
            // native side in a finalizer, which may run during a native call on an unreachable one
            try {
                det.detectAndCompute(g1, s.add(new Mat()), k1, d1);
                det.detectAndCompute(g2, s.add(new Mat()), k2, d2);
            } finally {
                Reference.reachabilityFence(det);
            }
            if (d1.empty() || d2.empty()) {
                return new Estimate(null, 0, 0, "no features found in one of the images");
            }
            DescriptorMatcher m = DescriptorMatcher.create(DescriptorMatcher.BRUTEFORCE_HAMMING);
            List<MatOfDMatch> knn = new ArrayList<>();
            try {
                m.knnMatch(d2, d1, knn, 2);
            } finally {
                Reference.reachabilityFence(m);
            }
            List<Point> src = new ArrayList<>();
            List<Point> dst = new ArrayList<>();
            var kp1 = k1.toArray();
            var kp2 = k2.toArray();
            for (MatOfDMatch pair : knn) {
                DMatch[] d = pair.toArray();
                pair.release();
                if (d.length == 2 && d[0].distance < 0.75 * d[1].distance) {
                    src.add(kp2[d[0].queryIdx].pt);
                    dst.add(kp1[d[0].trainIdx].pt);
                }
            }
            if (src.size() < MIN_INLIERS) {
                return new Estimate(null, src.size(), 0, "the images do not overlap enough: " + src.size()
                        + " distinctive matches (need " + MIN_INLIERS + ")");
            }
            MatOfPoint2f ms = s.add(new MatOfPoint2f(src.toArray(new Point[0])));
            MatOfPoint2f md = s.add(new MatOfPoint2f(dst.toArray(new Point[0])));
            MatOfByte inlierMask = s.add(new MatOfByte());
            Mat h = s.add(Calib3d.findHomography(ms, md, Calib3d.RANSAC, 3.0, inlierMask, 5000, 0.995));
            if (h.empty()) {
                return new Estimate(null, src.size(), 0, "no consistent homography between the images");
            }
            int inliers = Core.countNonZero(inlierMask);
            double[] hv = new double[9];
            Mat h64 = s.add(new Mat());
            h.convertTo(h64, CvType.CV_64F);
            h64.get(0, 0, hv);
            String why = validate(hv, moving.cols(), moving.rows(), src.size(), inliers);
            return new Estimate(why == null ? hv : null, src.size(), inliers, why);
        }
    }

    static @Nullable String validate(double[] h, int w, int hgt, int matches, int inliers) {
        if (inliers < MIN_INLIERS || inliers < matches / 4) {
            return "the images do not overlap enough: " + inliers + " of " + matches + " matches agree (need "
                    + MIN_INLIERS + " and a quarter)";
        }
        Point[] q = corners(h, w, hgt);
        if (q == null) {
            return "the homography sends the image to infinity";
        }
        double sign = 0;
        for (int i = 0; i < 4; i++) {
            Point a = q[i];
            Point b = q[(i + 1) % 4];
            Point c = q[(i + 2) % 4];
            double cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
            if (sign == 0) {
                sign = Math.signum(cross);
            } else if (Math.signum(cross) != sign) {
                return "the warped image would not be convex";
            }
        }
        double area = 0;
        for (int i = 0; i < 4; i++) {
            area += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
        }
        double ratio = Math.abs(area) / 2 / ((double) w * hgt);
        if (ratio < 0.25 || ratio > 4) {
            return "the warped image would be " + String.format("%.2f", ratio) + "x its size";
        }
        return null;
    }

    /** The four corners of a w x h image mapped by h (clockwise from top-left), or null if one goes to infinity. */
    public static Point @Nullable [] corners(double[] h, int w, int hgt) {
        double[][] c = {{0, 0}, {w, 0}, {w, hgt}, {0, hgt}};
        Point[] out = new Point[4];
        for (int i = 0; i < 4; i++) {
            Point p = apply(h, c[i][0], c[i][1]);
            if (p == null) {
                return null;
            }
            out[i] = p;
        }
        return out;
    }

    public static @Nullable Point apply(double[] h, double x, double y) {
        double z = h[6] * x + h[7] * y + h[8];
        if (Math.abs(z) < 1e-9 || z < 0) {
            return null;
        }
        return new Point((h[0] * x + h[1] * y + h[2]) / z, (h[3] * x + h[4] * y + h[5]) / z);
    }

    /** Median reprojection error (px) of fresh ORB matches under a cached homography: the drift check. */
    public static double drift(Mat reference, Mat moving, double[] h) {
        Estimate e = estimate(reference, moving, Features.ORB);
        if (!e.ok()) {
            return Double.POSITIVE_INFINITY;
        }
        // compare the two mappings at the moving image's corners and centre
        double[][] pts = {{0, 0}, {moving.cols(), 0}, {moving.cols(), moving.rows()}, {0, moving.rows()},
                {moving.cols() / 2.0, moving.rows() / 2.0}};
        List<Double> errs = new ArrayList<>();
        for (double[] p : pts) {
            Point a = apply(h, p[0], p[1]);
            Point b = apply(Objects.requireNonNull(e.h()), p[0], p[1]); // an ok() estimate has one
            errs.add(a == null || b == null ? Double.POSITIVE_INFINITY : Math.hypot(a.x - b.x, a.y - b.y));
        }
        errs.sort(Double::compare);
        return errs.get(errs.size() / 2);
    }

    private static Mat gray(Mat img) {
        Mat g = new Mat();
        if (img.channels() == 3) {
            Imgproc.cvtColor(img, g, Imgproc.COLOR_BGR2GRAY);
        } else {
            img.copyTo(g);
        }
        return g;
    }
}
