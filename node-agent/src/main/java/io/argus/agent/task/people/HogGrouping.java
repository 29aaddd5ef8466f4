package io.argus.agent.task.people;

import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * OpenCV's {@code HOGDescriptor::groupRectangles} (objdetect/src/hog.cpp, 4.9) in Java, made
 * independent of the order of its input, and the detector's score made reproducible.
 *
 * <p>Why it exists: OpenCV's HOG is not bit-reproducible. The SVM score of the same window in the
 * same image differs between calls by 1e-9 to 4e-9 (measured on {@code vtest.avi}, single
 * threaded, with and without its SIMD paths: the float sums depend on where its work buffers are
 * allocated), and the order of its raw hits depends on the same. A people count must be a function
 * of the footage alone, so the agent asks OpenCV for the raw windows ({@code groupThreshold} 0)
 * and groups them here:
 * <ul>
 *   <li>windows are partitioned by OpenCV's {@code SimilarRects(eps)} predicate (the transitive
 *       closure, the same whatever the order);</li>
 *   <li>a group's box is the mean of its windows (integer sums, exact), rounded as OpenCV rounds;</li>
 *   <li>groups with {@code groupThreshold} windows or fewer, and groups inside a larger, better
 *       supported group, are dropped (OpenCV's rule);</li>
 *   <li>a group's score is its best window's, quantised to {@link #SCORE_QUANTUM}: 1/64 is 10^7
 *       times the measured noise, and far finer than any threshold a person would set, so the
 *       score only changes when a window's falls within 4e-9 of a multiple of 1/64.</li>
 * </ul>
 */
final class HogGrouping {
    /** Scores are multiples of this (exact in binary floating point). */
    static final double SCORE_QUANTUM = 1.0 / 64;

    record Group(Rect box, double score, int windows) {
    }

    private HogGrouping() {
    }

    static double quantise(double score) {
        return Math.floor(score / SCORE_QUANTUM) * SCORE_QUANTUM;
    }

    static List<Group> group(Rect[] rects, double[] weights, int groupThreshold, double eps) {
        int n = rects.length;
        if (n == 0) {
            return List.of();
        }
        // canonical order first, so that every later step sees the same sequence
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> rects[i].x).thenComparingInt(i -> rects[i].y)
                .thenComparingInt(i -> rects[i].width).thenComparingInt(i -> rects[i].height)
                .thenComparingDouble(i -> weights[i]));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (similar(rects[order[a]], rects[order[b]], eps)) {
                    union(parent, a, b);
                }
            }
        }
        int[] label = new int[n];
        Arrays.fill(label, -1);
        List<long[]> sums = new ArrayList<>(); // x, y, w, h, count
        List<double[]> best = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            int root = find(parent, a);
            if (label[root] < 0) {
                label[root] = sums.size();
                sums.add(new long[5]);
                best.add(new double[]{Double.NEGATIVE_INFINITY});
            }
            int c = label[root];
            Rect r = rects[order[a]];
            long[] s = sums.get(c);
            s[0] += r.x;
            s[1] += r.y;
            s[2] += r.width;
            s[3] += r.height;
            s[4]++;
            best.get(c)[0] = Math.max(best.get(c)[0], weights[order[a]]);
        }
        int classes = sums.size();
        Rect[] mean = new Rect[classes];
        int[] count = new int[classes];
        for (int c = 0; c < classes; c++) {
            long[] s = sums.get(c);
            double k = 1.0 / s[4];
            // cv::Rect_<double> -> cv::Rect converts with cvRound (round half to even)
            mean[c] = new Rect((int) Math.rint(s[0] * k), (int) Math.rint(s[1] * k), (int) Math.rint(s[2] * k),
                    (int) Math.rint(s[3] * k));
            count[c] = (int) s[4];
        }
        List<Group> out = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            int n1 = count[i];
            if (n1 <= groupThreshold) {
                continue;
            }
            Rect r1 = mean[i];
            boolean inside = false;
            for (int j = 0; j < classes && !inside; j++) {
                int n2 = count[j];
                if (j == i || n2 <= groupThreshold) {
                    continue;
                }
                Rect r2 = mean[j];
                int dx = (int) Math.rint(r2.width * eps);
                int dy = (int) Math.rint(r2.height * eps);
                inside = r1.x >= r2.x - dx && r1.y >= r2.y - dy && r1.x + r1.width <= r2.x + r2.width + dx
                        && r1.y + r1.height <= r2.y + r2.height + dy && (n2 > Math.max(3, n1) || n1 < 3);
            }
            if (!inside) {
                out.add(new Group(r1, quantise(best.get(i)[0]), n1));
            }
        }
        return out;
    }

    /** OpenCV's {@code SimilarRects}: every edge within eps of the smaller sides' mean. */
    static boolean similar(Rect r1, Rect r2, double eps) {
        double delta = eps * (Math.min(r1.width, r2.width) + Math.min(r1.height, r2.height)) * 0.5;
        return Math.abs(r1.x - r2.x) <= delta && Math.abs(r1.y - r2.y) <= delta
                && Math.abs(r1.x + r1.width - r2.x - r2.width) <= delta
                && Math.abs(r1.y + r1.height - r2.y - r2.height) <= delta;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
