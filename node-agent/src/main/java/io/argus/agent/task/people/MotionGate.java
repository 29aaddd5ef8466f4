package io.argus.agent.task.people;

import io.argus.media.image.MatScope;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where something moves: background subtraction at half resolution, small specks removed, blobs
 * returned as boxes in frame coordinates. One per stream: the background is the stream's history.
 *
 * <p>The background is an approximate running median (McFarlane and Schofield, 1995): each
 * channel of each pixel of a half-size image steps one level toward the current frame. It is integer
 * arithmetic from start to end, so the gate is an exact function of the frames it has seen, on
 * any machine, and its whole state is one 8-bit image that a checkpoint carries byte for byte.
 * (MOG2, used before, can neither: its model cannot be exported from OpenCV, so a stream moved to
 * another agent started a new background and its detections, tracks and counts diverged.)
 *
 * <p>A pixel is foreground when it differs from the background by more than
 * {@link #NOISE_FACTOR} times the frame's noise, estimated from the camera itself as 1.4826 x the
 * median absolute difference (a robust sigma: most pixels are background), and never less than
 * {@link #MIN_THRESHOLD} levels (the quantisation noise of 8-bit JPEG video). The difference of a
 * pixel is the largest over its three channels: a person and the ground often differ only in hue.
 */
public final class MotionGate implements AutoCloseable {
    /** Foreground threshold in robust standard deviations of the frame's noise. */
    static final double NOISE_FACTOR = 3.0;
    /** Lowest foreground threshold, in levels of the largest channel difference. */
    static final int MIN_THRESHOLD = 12;

    private @Nullable Mat background;
    private long frames;

    /** Moving regions at least {@code minArea} pixels (frame coordinates). */
    public List<Rect> regions(Mat frame, double minArea) {
        List<Rect> out = new ArrayList<>();
        try (MatScope s = new MatScope()) {
            Mat small = s.add(new Mat());
            int halfWidth = frame.cols() / 2; // whole pixels
            int halfHeight = frame.rows() / 2;
            Imgproc.resize(frame, small, new Size(halfWidth, halfHeight), 0, 0, Imgproc.INTER_AREA);
            Mat img = small;
            frames++;
            if (background == null || background.size().width != img.cols() || background.size().height != img.rows()) {
                if (background != null) {
                    background.release();
                }
                background = img.clone();
                return out;
            }
            Mat diff = s.add(new Mat());
            Core.absdiff(img, background, diff);
            if (diff.channels() > 1) {
                // the largest difference over the channels
                List<Mat> ch = new ArrayList<>();
                Core.split(diff, ch);
                ch.forEach(s::add);
                Mat m = s.add(new Mat());
                Core.max(ch.get(0), ch.get(1), m);
                for (int c = 2; c < ch.size(); c++) {
                    Core.max(m, ch.get(c), m);
                }
                diff = m;
            }
            Mat fg = s.add(new Mat());
            Imgproc.threshold(diff, fg, threshold(diff, s), 255, Imgproc.THRESH_BINARY);
            // the background steps one level toward the frame, up or down, in every channel
            Mat up = s.add(new Mat());
            Mat down = s.add(new Mat());
            Core.compare(img, background, up, Core.CMP_GT);
            Core.compare(img, background, down, Core.CMP_LT);
            Scalar one = new Scalar(1, 1, 1, 1);
            Core.min(up, one, up); // 255 -> 1
            Core.min(down, one, down);
            Core.add(background, up, background);
            Core.subtract(background, down, background);

            Mat k3 = s.add(Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(3, 3)));
            Mat k7 = s.add(Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(7, 7)));
            Imgproc.morphologyEx(fg, fg, Imgproc.MORPH_OPEN, k3);
            Imgproc.dilate(fg, fg, k7);
            List<MatOfPoint> contours = new ArrayList<>();
            Mat hierarchy = s.add(new Mat());
            Imgproc.findContours(fg, contours, hierarchy, Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE);
            for (MatOfPoint c : contours) {
                s.add(c);
                Rect r = Imgproc.boundingRect(c);
                Rect full = new Rect(r.x * 2, r.y * 2, r.width * 2, r.height * 2);
                if (full.area() >= minArea) {
                    out.add(full);
                }
            }
        }
        // contour order is OpenCV's scan order; sort so that nothing downstream depends on it
        out.sort(Comparator.<Rect>comparingInt(r -> r.y).thenComparingInt(r -> r.x)
                .thenComparingInt(r -> r.width).thenComparingInt(r -> r.height));
        return out;
    }

    /** The foreground threshold for this frame: NOISE_FACTOR robust sigmas, at least MIN_THRESHOLD. */
    private static double threshold(Mat diff, MatScope s) {
        Mat hist = s.add(new Mat());
        Imgproc.calcHist(List.of(diff), s.add(new MatOfInt(0)), s.add(new Mat()), hist, s.add(new MatOfInt(256)),
                s.add(new MatOfFloat(0, 256)));
        float[] h = new float[256];
        hist.get(0, 0, h);
        long total = diff.total();
        long half = (total + 1) / 2;
        long acc = 0;
        int median = 0;
        for (int v = 0; v < 256; v++) {
            acc += (long) h[v];
            if (acc >= half) {
                median = v;
                break;
            }
        }
        return Math.max(MIN_THRESHOLD, Math.ceil(NOISE_FACTOR * 1.4826 * median));
    }

    /** Frames seen. */
    long frames() {
        return frames;
    }

    /** The background, byte for byte (width, height, channels, then the pixels row by row); empty before the first frame. */
    /** Bytes of the background model (half the frame's size). */
    long bytes() {
        return MatScope.bytes(background);
    }

    byte[] exportBackground() {
        if (background == null) {
            return new byte[0];
        }
        int w = background.cols();
        int h = background.rows();
        int n = w * h * background.channels();
        byte[] out = new byte[12 + n];
        ByteBuffer.wrap(out).putInt(w).putInt(h).putInt(background.channels());
        byte[] px = new byte[n];
        background.get(0, 0, px);
        System.arraycopy(px, 0, out, 12, px.length);
        return out;
    }

    void importBackground(byte[] data, long seenFrames) {
        frames = seenFrames;
        if (data == null || data.length < 12) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int w = b.getInt();
        int h = b.getInt();
        int c = b.getInt();
        if (w <= 0 || h <= 0 || (c != 1 && c != 3) || (long) w * h * c != data.length - 12L) {
            throw new IllegalArgumentException("background of " + (data.length - 12) + " bytes is not " + w + "x" + h + "x" + c);
        }
        Mat m = new Mat(h, w, CvType.CV_8UC(c));
        byte[] px = new byte[w * h * c];
        System.arraycopy(data, 12, px, 0, px.length);
        m.put(0, 0, px);
        if (background != null) {
            background.release();
        }
        background = m;
    }

    @Override
    public void close() {
        if (background != null) {
            background.release();
            background = null;
        }
    }
}
