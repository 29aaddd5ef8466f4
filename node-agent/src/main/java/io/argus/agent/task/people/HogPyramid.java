package io.argus.agent.task.people;

import io.argus.media.image.MatScope;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.HOGDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenCV's {@code HOGDescriptor::detectMultiScale} pyramid without its grouping (objdetect/src/hog.cpp,
 * 4.9), level by level on the calling thread, so that every raw window keeps its own SVM score.
 *
 * <p>Why it exists: OpenCV's multi-scale search runs its levels in parallel and appends a level's
 * windows and its scores to the output under two separate lock sections. With more than one
 * OpenCV thread, another level's windows can land between them and the scores no longer belong to
 * their windows: the same frame gave a person's group a score of 2.875 in one run and 1.75 in
 * the next (vtest.avi, 2 threads; measured with a detector that logged its output). A count that
 * depends on OpenCV's thread count and on scheduling is not a count; here the levels are the same
 * ({@code scale0}, at most {@link HOGDescriptor#get_nlevels()}, stopping where the image is
 * smaller than the window), each is resized as OpenCV resizes it ({@code INTER_LINEAR_EXACT}) and searched with the
 * single-scale {@code detect}, whose windows and scores come out together. Sizes and positions are
 * rounded half to even, as {@code cvRound} rounds.
 */
final class HogPyramid {
    /** Raw windows (in the input image's pixels) and their SVM scores, index for index. */
    record Windows(Rect[] rects, double[] scores) {
    }

    private HogPyramid() {
    }

    static Windows detect(HOGDescriptor hog, Mat img, double hitThreshold, Size winStride, Size padding, double scale0) {
        Size win = hog.get_winSize();
        List<Rect> rects = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        double scale = 1;
        int levels = hog.get_nlevels();
        for (int level = 0; level < levels; level++) {
            int w = (int) Math.rint(img.cols() / scale);
            int h = (int) Math.rint(img.rows() / scale);
            if (w < win.width || h < win.height) {
                break;
            }
            search(hog, img, scale, w, h, hitThreshold, winStride, padding, rects, scores);
            if (scale0 <= 1) {
                break;
            }
            scale *= scale0;
        }
        double[] s = new double[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        return new Windows(rects.toArray(new Rect[0]), s);
    }

    private static void search(HOGDescriptor hog, Mat img, double scale, int w, int h, double hitThreshold, Size winStride,
                               Size padding, List<Rect> rects, List<Double> scores) {
        try (MatScope s = new MatScope()) {
            Mat level = img;
            if (w != img.cols() || h != img.rows()) {
                level = s.add(new Mat());
                Imgproc.resize(img, level, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR_EXACT);
            }
            MatOfPoint found = s.add(new MatOfPoint());
            MatOfDouble weights = s.add(new MatOfDouble());
            hog.detect(level, found, weights, hitThreshold, winStride, padding);
            if (found.empty()) {
                return; // (an empty answer's weights are a 0x1 Mat that toArray refuses)
            }
            Point[] at = found.toArray();
            double[] ws = weights.total() == at.length ? weights.toArray() : new double[at.length];
            Size win = hog.get_winSize();
            int ww = (int) Math.rint(win.width * scale);
            int wh = (int) Math.rint(win.height * scale);
            for (int i = 0; i < at.length; i++) {
                // clipped to the image, and dropped when nothing is left, as OpenCV's clipObjects does
                int x = (int) Math.rint(at[i].x * scale);
                int y = (int) Math.rint(at[i].y * scale);
                int x0 = Math.max(x, 0);
                int y0 = Math.max(y, 0);
                int x1 = Math.min(x + ww, img.cols());
                int y1 = Math.min(y + wh, img.rows());
                if (x1 > x0 && y1 > y0) {
                    rects.add(new Rect(x0, y0, x1 - x0, y1 - y0));
                    scores.add(ws[i]);
                }
            }
        }
    }
}
