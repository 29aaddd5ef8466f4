package io.argus.agent.task.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.argus.media.image.MatScope;
import io.argus.task.geom.BoxF;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.RotatedRect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Text lines from PaddleOCR's PP-OCRv4 DB detector ({@link PpOcrModels}), with PaddleOCR's
 * published pre- and post-processing (det_limit_side_len 960 with limit type "max", det_db_thresh
 * 0.3, det_db_box_thresh 0.6, det_db_unclip_ratio 1.5, min_size 3, max_candidates 1000):
 *
 * <ul>
 *   <li>the frame is shrunk, never enlarged, so that its longest side is at most {@link #MAX_SIDE},
 *       each side rounded to a multiple of 32 (the network's stride); this bounds the network's
 *       input, and so its time, whatever the frame size;
 *   <li>pixels are scaled to [0, 1] and normalised with ImageNet's mean and standard deviation, in
 *       the frame's BGR channel order (PaddleOCR decodes images as BGR and normalises them as they are);
 *   <li>the network's probability map (sigmoid already applied) is thresholded; each connected
 *       region's minimum-area rectangle is kept when the mean probability inside it reaches the box
 *       threshold, then grown by the DB "unclip" distance, area x ratio / perimeter, which restores
 *       the text border the network is trained to shrink away.
 * </ul>
 *
 * Boxes are returned axis-aligned, in frame coordinates, most promising first (as MSER's).
 */
public final class PpOcrDetector implements TextLines {
    static final int MAX_SIDE = 960;
    static final double THRESHOLD = 0.3;
    static final double BOX_THRESHOLD = 0.6;
    static final double UNCLIP_RATIO = 1.5;
    static final double MIN_SIZE = 3;
    static final int MAX_CANDIDATES = 1000;
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    private final PpOcrModels models;

    public PpOcrDetector(PpOcrModels models) {
        this.models = models;
    }

    @Override
    public List<BoxF> detect(Mat bgr) {
        return detect(bgr, MAX_SIDE);
    }

    /** As {@link #detect(Mat)}, with the input's longest side at most {@code maxSide} (and {@link #MAX_SIDE}). */
    @Override
    public List<BoxF> detect(Mat bgr, int maxSide) {
        int w = bgr.cols();
        int h = bgr.rows();
        double ratio = Math.min(1.0, (double) Math.min(maxSide, MAX_SIDE) / Math.max(w, h));
        int inW = Math.max(32, (int) Math.round(w * ratio / 32) * 32);
        int inH = Math.max(32, (int) Math.round(h * ratio / 32) * 32);
        float[] prob;
        try (MatScope s = new MatScope()) {
            Mat sized = s.add(new Mat());
            Imgproc.resize(bgr, sized, new Size(inW, inH), 0, 0, Imgproc.INTER_LINEAR);
            prob = infer(chw(s, sized), inW, inH);
        }
        List<BoxF> out = new ArrayList<>();
        try (MatScope s = new MatScope()) {
            Mat map = s.add(new Mat(inH, inW, CvType.CV_32F));
            map.put(0, 0, prob);
            Mat binary = s.add(new Mat());
            Imgproc.threshold(map, binary, THRESHOLD, 255, Imgproc.THRESH_BINARY);
            Mat bitmap = s.add(new Mat());
            binary.convertTo(bitmap, CvType.CV_8U);
            List<MatOfPoint> contours = new ArrayList<>();
            Mat hierarchy = s.add(new Mat());
            Imgproc.findContours(bitmap, contours, hierarchy, Imgproc.RETR_LIST, Imgproc.CHAIN_APPROX_SIMPLE);
            contours.forEach(s::add);
            double sx = (double) w / inW;
            double sy = (double) h / inH;
            for (MatOfPoint c : contours.subList(0, Math.min(MAX_CANDIDATES, contours.size()))) {
                MatOfPoint2f c2 = s.add(new MatOfPoint2f(c.toArray()));
                RotatedRect r = Imgproc.minAreaRect(c2);
                if (Math.min(r.size.width, r.size.height) < MIN_SIZE) {
                    continue;
                }
                if (meanInside(s, map, r) < BOX_THRESHOLD) {
                    continue;
                }
                // pyclipper's rounded offset of a rectangle by d has a w+2d by h+2d minimum-area rectangle
                double area = r.size.width * r.size.height;
                double d = area * UNCLIP_RATIO / (2 * (r.size.width + r.size.height));
                RotatedRect grown = new RotatedRect(r.center, new Size(r.size.width + 2 * d, r.size.height + 2 * d), r.angle);
                if (Math.min(grown.size.width, grown.size.height) < MIN_SIZE + 2) {
                    continue;
                }
                Point[] corners = new Point[4];
                grown.points(corners);
                double x0 = Double.MAX_VALUE;
                double y0 = Double.MAX_VALUE;
                double x1 = -Double.MAX_VALUE;
                double y1 = -Double.MAX_VALUE;
                for (Point p : corners) {
                    x0 = Math.min(x0, p.x);
                    y0 = Math.min(y0, p.y);
                    x1 = Math.max(x1, p.x);
                    y1 = Math.max(y1, p.y);
                }
                x0 = Math.max(0, x0 * sx);
                y0 = Math.max(0, y0 * sy);
                x1 = Math.min(w, x1 * sx);
                y1 = Math.min(h, y1 * sy);
                if (x1 - x0 >= 4 && y1 - y0 >= 4) {
                    out.add(new BoxF(x0, y0, x1 - x0, y1 - y0));
                }
            }
        }
        // the same order as MSER's lines: long runs of characters, then big ones
        out.sort(Comparator.comparingDouble((BoxF b) -> b.w() / b.h() * Math.sqrt(b.h())).reversed());
        return out;
    }

    /** The image as a normalised 1x3xHxW float tensor's data, channels in the frame's (BGR) order. */
    private static FloatBuffer chw(MatScope s, Mat bgr) {
        Mat f = s.add(new Mat());
        bgr.convertTo(f, CvType.CV_32FC3, 1 / 255.0);
        Core.subtract(f, new Scalar(MEAN[0], MEAN[1], MEAN[2]), f);
        Core.divide(f, new Scalar(STD[0], STD[1], STD[2]), f);
        List<Mat> planes = new ArrayList<>(3);
        Core.split(f, planes);
        planes.forEach(s::add);
        int n = bgr.rows() * bgr.cols();
        float[] data = new float[3 * n];
        float[] plane = new float[n];
        for (int c = 0; c < 3; c++) {
            planes.get(c).get(0, 0, plane);
            System.arraycopy(plane, 0, data, c * n, n);
        }
        return FloatBuffer.wrap(data);
    }

    private float[] infer(FloatBuffer input, int w, int h) {
        OrtSession session = models.detector();
        try (OnnxTensor t = OnnxTensor.createTensor(models.env(), input, new long[] {1, 3, h, w});
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] prob = new float[w * h];
            fb.get(prob);
            return prob;
        } catch (OrtException e) {
            throw new IllegalStateException("PP-OCR detector failed: " + e.getMessage(), e);
        }
    }

    /** Mean probability inside a rotated rectangle (PaddleOCR's box_score_fast). */
    private static double meanInside(MatScope s, Mat map, RotatedRect r) {
        Rect bb = r.boundingRect();
        int x0 = Math.max(0, bb.x);
        int y0 = Math.max(0, bb.y);
        int x1 = Math.min(map.cols(), bb.x + bb.width + 1);
        int y1 = Math.min(map.rows(), bb.y + bb.height + 1);
        if (x1 <= x0 || y1 <= y0) {
            return 0;
        }
        Point[] corners = new Point[4];
        r.points(corners);
        for (int i = 0; i < 4; i++) {
            corners[i] = new Point(Math.round(corners[i].x) - x0, Math.round(corners[i].y) - y0);
        }
        Mat mask = s.add(Mat.zeros(y1 - y0, x1 - x0, CvType.CV_8U));
        MatOfPoint poly = s.add(new MatOfPoint(corners));
        Imgproc.fillPoly(mask, List.of(poly), new Scalar(1));
        Mat region = s.add(map.submat(y0, y1, x0, x1));
        return Core.mean(region, mask).val[0];
    }
}
