package io.argus.agent.task.text;

import io.argus.media.image.MatScope;
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
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Finds text lines in a scene: MSER regions (both polarities: dark on light and light on dark) are
 * kept when they are shaped like characters, then chained into lines of similar height on a common
 * baseline with gaps no wider than a character height. Sizes are relative to the image, so the
 * same settings hold for a 640x480 camera and a 12-megapixel photo.
 *
 * <p>Large images are searched at a reduced size (longest side at most {@code maxSide}); boxes are
 * returned in the original coordinates.
 *
 * <p>This class finds the character candidates with OpenCV and turns groups into boxes; how
 * characters group into lines is {@link TextLineGrouping}'s (plain geometry, no native code).
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
        chars = TextLineGrouping.dropDuplicatesAndContainers(chars);
        List<BoxF> lines = new ArrayList<>();
        for (List<Rect> group : TextLineGrouping.joinWords(TextLineGrouping.chain(chars, tone), tone)) {
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
        lines = TextLineGrouping.mergeOverlapping(lines);
        // most promising first: long runs of characters, then big ones
        lines.sort(Comparator.comparingDouble((BoxF b) -> b.w() / b.h() * Math.sqrt(b.h())).reversed());
        return lines;
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
}
