package io.argus.agent.task.text;

import io.argus.agent.image.MatScope;
import io.argus.task.geom.BoxF;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.features2d.MSER;
import org.opencv.imgproc.Imgproc;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds text lines in a scene: MSER regions (both polarities: dark on light and light on dark) are
 * kept when they are shaped like characters, then chained into lines of similar height on a common
 * baseline with gaps no wider than a character height. Sizes are relative to the image, so the
 * same settings hold for a 640x480 camera and a 12-megapixel photo.
 *
 * <p>Large images are searched at a reduced size (longest side at most {@code maxSide}); boxes are
 * returned in the original coordinates.
 */
public final class TextLineDetector implements TextLines {
    private final int maxSide;
    /**
     * One MSER per thread, reused. MSER keeps its work buffers (about 60 bytes per pixel: 19 MB
     * for a 640x480 image) in the native object after each call, and OpenCV's Java objects free
     * their native side only in a finalizer: a detector made per frame therefore held 19 MB of
     * native memory per frame until a garbage collection happened to run, which a low-garbage
     * agent with a small heap may not do for hundreds of frames (the soak saw agent RSS swing
     * between 0.5 and 1.1 GB). A reused detector keeps one set of buffers per worker.
     */
    private static final ThreadLocal<MSER> MSERS = ThreadLocal.withInitial(
            () -> MSER.create(4, 20, 14400, 0.25, 0.2, 200, 1.01, 0.003, 5));

    public TextLineDetector(int maxSide) {
        this.maxSide = maxSide;
    }

    /** Line boxes in frame coordinates, most promising (long, large) first. */
    @Override
    public List<BoxF> detect(Mat bgr) {
        return detect(bgr, maxSide);
    }

    @Override
    public List<BoxF> detect(Mat bgr, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(bgr.cols(), bgr.rows()));
        List<Rect> chars = new ArrayList<>();
        IdentityHashMap<Rect, Double> tone = new IdentityHashMap<>(); // by rectangle object: equal boxes are distinct
        int w;
        int h;
        try (MatScope s = new MatScope()) {
            Mat gray = s.add(new Mat());
            Imgproc.cvtColor(bgr, gray, Imgproc.COLOR_BGR2GRAY);
            if (scale < 1) {
                Mat small = s.add(new Mat());
                Imgproc.resize(gray, small, new Size(Math.round(gray.cols() * scale), Math.round(gray.rows() * scale)),
                        0, 0, Imgproc.INTER_AREA);
                gray = small;
            }
            w = gray.cols();
            h = gray.rows();
            int minArea = Math.max(20, (int) (w * h * 2e-5));
            int maxArea = (int) (w * h * 0.02);
            MSER mser = MSERS.get();
            mser.setMinArea(minArea);
            mser.setMaxArea(Math.max(minArea + 1, maxArea));
            List<MatOfPoint> regions = new ArrayList<>();
            MatOfRect boxes = s.add(new MatOfRect());
            try {
                mser.detectRegions(gray, regions, boxes);
            } finally {
                // OpenCV's Java objects free their native side in a finalizer. Without this fence the
                // JIT may consider `mser` dead once its native pointer is on the stack, a collection
                // during detectRegions then frees the detector under it, and MSER_Impl::pass crashes
                // the process (it did, after 4 minutes of the soak run).
                Reference.reachabilityFence(mser);
            }
            Rect[] rs = boxes.toArray();
            // the gray levels once, for the ink tone of each candidate (one JNI call, not one per pixel)
            byte[] grayLevels = new byte[w * h];
            gray.get(0, 0, grayLevels);
            int[] points = new int[0];
            for (int i = 0; i < rs.length; i++) {
                Rect r = rs[i];
                double pixels = regions.get(i).total();
                s.add(regions.get(i));
                double aspect = (double) r.width / r.height;
                double fill = pixels / r.area();
                if (r.height >= 8 && r.height <= h * 0.4 && aspect >= 0.08 && aspect <= 2.0
                        && fill >= 0.1 && fill <= 0.95) {
                    chars.add(r);
                    MatOfPoint region = regions.get(i);
                    int n = (int) region.total();
                    if (points.length < 2 * n) {
                        points = new int[2 * n];
                    }
                    region.get(0, 0, points);
                    tone.put(r, meanTone(grayLevels, w, points, n));
                }
            }
        }
        chars = dropDuplicatesAndContainers(chars);
        List<BoxF> lines = new ArrayList<>();
        for (List<Rect> group : joinWords(chain(chars, tone), tone)) {
            if (group.size() < 3) {
                continue; // fewer than three characters: more often texture than text
            }
            int x0 = Integer.MAX_VALUE;
            int y0 = Integer.MAX_VALUE;
            int x1 = 0;
            int y1 = 0;
            double hs = 0;
            for (Rect r : group) {
                x0 = Math.min(x0, r.x);
                y0 = Math.min(y0, r.y);
                x1 = Math.max(x1, r.x + r.width);
                y1 = Math.max(y1, r.y + r.height);
                hs += r.height;
            }
            double mh = hs / group.size();
            if (x1 - x0 < 1.5 * mh) {
                continue; // two stacked blobs, not a line
            }
            // a margin of about a quarter of a letter on every side: enough for a letter the chain
            // cut short, while the reader adds its own quiet zone; wider ones brought sign frames
            // and poles into the crop, which Tesseract reads as letters or as nothing at all
            // (BENCHMARKS.md, OCR: recall 0.77 -> 0.85 on the scene photos at 0.6 -> 0.3)
            double px = 0.3 * mh;
            double py = 0.25 * mh;
            double bx0 = Math.max(0, x0 - px);
            double by0 = Math.max(0, y0 - py);
            double bx1 = Math.min(w, x1 + px);
            double by1 = Math.min(h, y1 + py);
            lines.add(new BoxF(bx0 / scale, by0 / scale, (bx1 - bx0) / scale, (by1 - by0) / scale));
        }
        lines = mergeOverlapping(lines);
        // most promising first: long runs of characters, then big ones
        lines.sort(Comparator.comparingDouble((BoxF b) -> b.w() / b.h() * Math.sqrt(b.h())).reversed());
        return lines;
    }

    /**
     * Drops the same character found by both polarities or at nested levels, and sign outlines
     * or word blobs that contain characters. A region is a container when it holds two smaller
     * candidates side by side on one line (disjoint horizontally, overlapping vertically); the holes
     * of a letter (nested in each other, or stacked as in 'B') do not make it one.
     */
    @SuppressWarnings("ReferenceEquality") // skips the rectangle itself; an equal one elsewhere is a duplicate
    static List<Rect> dropDuplicatesAndContainers(List<Rect> in) {
        List<Rect> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingDouble(Rect::area));
        List<Rect> keep = new ArrayList<>();
        for (Rect r : sorted) {
            boolean dup = false;
            for (Rect k : keep) {
                if (iou(r, k) > 0.7) {
                    dup = true;
                    break;
                }
            }
            if (dup) {
                continue;
            }
            List<Rect> inner = new ArrayList<>();
            for (Rect k : keep) {
                if (k.x >= r.x && k.y >= r.y && k.x + k.width <= r.x + r.width && k.y + k.height <= r.y + r.height
                        && k.height < r.height * 0.8) {
                    inner.add(k);
                }
            }
            if (!hasSideBySidePair(inner)) {
                keep.add(r);
            }
        }
        // the holes of letters (inside a kept, much taller letter) are not letters themselves
        List<Rect> letters = new ArrayList<>();
        for (Rect r : keep) {
            boolean hole = false;
            for (Rect k : keep) {
                if (k != r && r.x >= k.x && r.y >= k.y && r.x + r.width <= k.x + k.width
                        && r.y + r.height <= k.y + k.height && r.height < 0.8 * k.height) {
                    hole = true;
                    break;
                }
            }
            if (!hole) {
                letters.add(r);
            }
        }
        return letters;
    }

    private static boolean hasSideBySidePair(List<Rect> rs) {
        for (int i = 0; i < rs.size(); i++) {
            for (int j = i + 1; j < rs.size(); j++) {
                Rect a = rs.get(i);
                Rect b = rs.get(j);
                boolean disjointX = a.x + a.width <= b.x || b.x + b.width <= a.x;
                int overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
                if (disjointX && overlapY > 0.5 * Math.min(a.height, b.height)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Mean gray level of a region's pixels (at most 64 sampled): the colour of a character's ink.
     *
     * @param pixels the gray image, row-major, {@code width} pixels a row
     * @param xy     the region's points as x, y pairs ({@code count} of them)
     */
    static double meanTone(byte[] pixels, int width, int[] xy, int count) {
        int step = Math.max(1, count / 64);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < count; i += step) {
            sum += pixels[xy[2 * i + 1] * width + xy[2 * i]] & 0xff;
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Characters of one line share a height, a baseline band, spacing and the colour of their
     * ink: two candidates chain when their heights differ by less than 1.7x, their vertical extents
     * overlap by more than half with their tops or their bottoms aligned (within 30% of a height),
     * the gap between them is at most 1.2 heights, and their mean gray levels differ by less than
     * {@code MAX_TONE_DIFFERENCE}.
     */
    static final double MAX_TONE_DIFFERENCE = 45;

    static List<List<Rect>> chain(List<Rect> chars, IdentityHashMap<Rect, Double> tone) {
        int n = chars.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        List<Rect> byX = new ArrayList<>(chars);
        byX.sort(Comparator.comparingInt(r -> r.x));
        for (int i = 0; i < n; i++) {
            Rect a = byX.get(i);
            for (int j = i + 1; j < n; j++) {
                Rect b = byX.get(j);
                double mh = Math.max(a.height, b.height);
                if (b.x - (a.x + a.width) > 1.2 * mh) {
                    break; // sorted by x: everything further is further away
                }
                double ratio = (double) Math.max(a.height, b.height) / Math.min(a.height, b.height);
                // on a common line the vertical extents overlap: capitals, x-height letters and
                // descenders all share the band between x-height and baseline
                int overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
                double toneDiff = Math.abs(tone.getOrDefault(a, 0.0) - tone.getOrDefault(b, 0.0));
                // letters share a top line (capitals, x-height) or a baseline
                double align = 0.3 * Math.min(a.height, b.height);
                boolean aligned = Math.abs(a.y - b.y) <= align
                        || Math.abs((a.y + a.height) - (b.y + b.height)) <= align;
                if (ratio < 1.7 && overlap >= 0.55 * Math.min(a.height, b.height) && aligned
                        && toneDiff < MAX_TONE_DIFFERENCE) {
                    union(parent, i, j);
                }
            }
        }
        Map<Integer, List<Rect>> groups = new HashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(byX.get(i));
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Joins fragments of one line: words split by a wide space, a tilted baseline that broke the
     * letter-to-letter alignment, or a lone letter the chain missed. Two groups join when their
     * boxes overlap vertically by more than half, have similar heights and the same ink, and lie at
     * most 1.5 heights apart.
     */
    static List<List<Rect>> joinWords(List<List<Rect>> groups, IdentityHashMap<Rect, Double> tone) {
        List<List<Rect>> gs = new ArrayList<>();
        for (List<Rect> g : groups) {
            gs.add(new ArrayList<>(g));
        }
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < gs.size(); i++) {
                int[] a = bounds(gs.get(i));
                for (int j = i + 1; j < gs.size(); j++) {
                    if (gs.get(i).size() < 3 && gs.get(j).size() < 3) {
                        continue; // two scraps do not make a line
                    }
                    int[] b = bounds(gs.get(j));
                    int ha = a[3] - a[1];
                    int hb = b[3] - b[1];
                    int overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
                    double ratio = (double) Math.max(ha, hb) / Math.max(1, Math.min(ha, hb));
                    int gap = Math.max(a[0], b[0]) - Math.min(a[2], b[2]);
                    double toneDiff = Math.abs(meanTone(gs.get(i), tone) - meanTone(gs.get(j), tone));
                    if (overlap > 0.5 * Math.min(ha, hb) && ratio < 1.5 && gap < 1.5 * Math.max(ha, hb)
                            && toneDiff < MAX_TONE_DIFFERENCE) {
                        gs.get(i).addAll(gs.remove(j));
                        merged = true;
                        break outer;
                    }
                }
            }
        }
        return gs;
    }

    private static double meanTone(List<Rect> g, IdentityHashMap<Rect, Double> tone) {
        double s = 0;
        for (Rect r : g) {
            s += tone.getOrDefault(r, 0.0);
        }
        return s / g.size();
    }

    /** x0, y0, x1, y1 of a group; heights use the median letter so one tall outlier does not count. */
    private static int[] bounds(List<Rect> g) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = 0;
        int y1 = 0;
        for (Rect r : g) {
            x0 = Math.min(x0, r.x);
            y0 = Math.min(y0, r.y);
            x1 = Math.max(x1, r.x + r.width);
            y1 = Math.max(y1, r.y + r.height);
        }
        return new int[]{x0, y0, x1, y1};
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    private static void union(int[] p, int a, int b) {
        p[find(p, a)] = find(p, b);
    }

    static double iou(Rect a, Rect b) {
        int ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
        int iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
        double inter = (double) ix * iy;
        return inter / (a.area() + b.area() - inter);
    }

    static List<BoxF> mergeOverlapping(List<BoxF> in) {
        List<BoxF> out = new ArrayList<>(in);
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < out.size(); i++) {
                for (int j = i + 1; j < out.size(); j++) {
                    BoxF a = out.get(i);
                    BoxF b = out.get(j);
                    double hr = Math.max(a.h(), b.h()) / Math.min(a.h(), b.h());
                    if (a.overlapOfSmaller(b) > 0.6 && hr < 1.8) {
                        double x0 = Math.min(a.x(), b.x());
                        double y0 = Math.min(a.y(), b.y());
                        out.set(i, new BoxF(x0, y0, Math.max(a.x() + a.w(), b.x() + b.w()) - x0,
                                Math.max(a.y() + a.h(), b.y() + b.h()) - y0));
                        out.remove(j);
                        merged = true;
                        break outer;
                    }
                }
            }
        }
        return out;
    }
}
