package io.argus.agent.task.composite;

import io.argus.media.image.MatScope;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.VisionTask;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.composite.AnnotateParams;
import io.argus.task.image.ImageHeader;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code annotate}: the frame with the overlays of the tasks that ran before it on the same frame
 * burned in (for recording and export), optionally with an image alpha-composited onto it (the
 * original design's product-picture synthesis: a logo, a watermark, a product shot).
 *
 * <p>Parameters, their defaults and ranges: {@link AnnotateParams}.
 */
public final class AnnotateTask implements VisionTask {
    public static final String NAME = TaskNames.ANNOTATE;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> p) throws TaskException {
        AnnotateParams.parse(p);
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        AnnotateParams p = AnnotateParams.parse(ctx.params());
        Mat frame = ctx.frame();
        try (MatScope s = new MatScope()) {
            Mat canvas = s.add(frame.clone());
            String b64 = p.overlay();
            if (!b64.isEmpty()) {
                composite(canvas, b64, p.overlayX(), p.overlayY(), p.overlayScale(), p.overlayOpacity(), s);
            }
            OverlayPainter.paint(canvas, ctx.earlier(), 1, 0, 0);
            int maxWidth = p.maxWidth();
            Mat out = canvas;
            if (canvas.cols() > maxWidth) {
                out = s.add(new Mat());
                double k = (double) maxWidth / canvas.cols();
                Imgproc.resize(canvas, out, new Size(maxWidth, Math.round(canvas.rows() * k)), 0, 0, Imgproc.INTER_AREA);
            }
            return TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK)
                    .addImages(Jpeg.encode("annotated", out, p.quality())).build();
        }
    }

    /** Standard "over" compositing of a BGRA image onto a BGR canvas, clipped to the canvas. */
    static void composite(Mat canvas, String b64, int x, int y, double scale, double opacity, MatScope s)
            throws TaskException {
        byte[] png;
        try {
            png = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new TaskException(Code.BAD_REQUEST, "parameter 'overlay' is not base64");
        }
        ImageHeader header = ImageHeader.probe(png);
        if (header == null) {
            throw new TaskException(Code.IMAGE_DECODE_FAILED, "parameter 'overlay' is not a PNG or JPEG");
        }
        if ((long) header.width() * header.height() > (long) canvas.cols() * canvas.rows() * 4) {
            throw new TaskException(Code.TOO_LARGE, "overlay " + header.width() + "x" + header.height()
                    + " is larger than the frame");
        }
        MatOfByte buf = s.add(new MatOfByte(png));
        Mat img = s.add(Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_UNCHANGED));
        if (img.empty()) {
            throw new TaskException(Code.IMAGE_DECODE_FAILED, "overlay image does not decode");
        }
        if (Math.abs(scale - 1) > 1e-3) {
            Mat r = s.add(new Mat());
            Imgproc.resize(img, r, new Size(Math.max(1, img.cols() * scale), Math.max(1, img.rows() * scale)));
            img = r;
        }
        Mat bgr = s.add(new Mat());
        Mat alpha;
        if (img.channels() == 4) {
            List<Mat> ch = new ArrayList<>();
            Core.split(img, ch);
            ch.forEach(s::add);
            Core.merge(ch.subList(0, 3), bgr);
            alpha = ch.get(3);
        } else {
            if (img.channels() == 1) {
                Imgproc.cvtColor(img, bgr, Imgproc.COLOR_GRAY2BGR);
            } else {
                img.copyTo(bgr);
            }
            alpha = s.add(new Mat(img.size(), CvType.CV_8U, new Scalar(255)));
        }
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(canvas.cols(), x + bgr.cols());
        int y1 = Math.min(canvas.rows(), y + bgr.rows());
        if (x1 <= x0 || y1 <= y0) {
            return; // entirely outside the frame
        }
        Rect src = new Rect(x0 - x, y0 - y, x1 - x0, y1 - y0);
        Rect dst = new Rect(x0, y0, x1 - x0, y1 - y0);
        Mat fg = s.add(new Mat());
        Mat bg = s.add(new Mat());
        Mat a = s.add(new Mat());
        s.add(bgr.submat(src)).convertTo(fg, CvType.CV_32FC3);
        s.add(canvas.submat(dst)).convertTo(bg, CvType.CV_32FC3);
        s.add(alpha.submat(src)).convertTo(a, CvType.CV_32F, opacity / 255.0);
        Mat a3 = s.add(new Mat());
        Imgproc.cvtColor(a, a3, Imgproc.COLOR_GRAY2BGR);
        Mat inv = s.add(new Mat());
        // (Mat.ones sets only the first channel of a 3-channel matrix)
        Core.subtract(s.add(new Mat(a3.size(), a3.type(), new Scalar(1, 1, 1))), a3, inv);
        Core.multiply(fg, a3, fg);
        Core.multiply(bg, inv, bg);
        Core.add(fg, bg, fg);
        Mat result = s.add(new Mat());
        fg.convertTo(result, CvType.CV_8UC3);
        result.copyTo(s.add(canvas.submat(dst)));
    }
}
