package io.argus.agent.task;

import io.argus.media.image.MatScope;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.ColorParams;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.core.TermCriteria;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Dominant colours by k-means (the original design's COLOR_DETECT).
 *
 * <p>The frame is shrunk with area averaging so that its longer side is at most {@code sample}
 * pixels (default 64: 4096 samples are plenty for a handful of clusters and cost well under a
 * millisecond), then clustered in BGR with k-means++ seeding. The RNG is seeded per call so the
 * same image always gives the same answer.
 *
 * <p>Parameters: see {@link ColorParams}.
 * Result: {@code color.i} = "#rrggbb" and {@code color.i.fraction} for i = 0.. in decreasing share.
 */
public final class ColorTask implements VisionTask {
    public static final String NAME = TaskNames.COLOR;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> params) throws TaskException {
        ColorParams.parse(params);
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        ColorParams cfg = ColorParams.parse(ctx.params());
        int k = cfg.k();
        int sample = cfg.sample();
        Mat frame = ctx.frame();
        try (MatScope s = new MatScope()) {
            double scale = Math.min(1.0, (double) sample / Math.max(frame.cols(), frame.rows()));
            Mat small = s.add(new Mat());
            Imgproc.resize(frame, small, new Size(Math.max(1, Math.round(frame.cols() * scale)),
                    Math.max(1, Math.round(frame.rows() * scale))), 0, 0, Imgproc.INTER_AREA);
            int n = small.rows() * small.cols();
            k = Math.min(k, n);
            Mat samples = s.add(new Mat());
            Mat flat = s.add(small.reshape(1, n));
            flat.convertTo(samples, CvType.CV_32F);
            Mat labels = s.add(new Mat());
            Mat centers = s.add(new Mat());
            Core.setRNGSeed(0x5eed);
            Core.kmeans(samples, k, labels, new TermCriteria(TermCriteria.EPS + TermCriteria.MAX_ITER, 20, 0.5),
                    3, Core.KMEANS_PP_CENTERS, centers);
            int[] lab = new int[n];
            labels.get(0, 0, lab);
            int[] counts = new int[k];
            for (int l : lab) {
                counts[l]++;
            }
            float[] c = new float[k * 3];
            centers.get(0, 0, c);
            List<int[]> clusters = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                int b = clamp(c[i * 3]);
                int g = clamp(c[i * 3 + 1]);
                int r = clamp(c[i * 3 + 2]);
                clusters.add(new int[]{r, g, b, counts[i]});
            }
            clusters.sort(Comparator.comparingInt((int[] x) -> -x[3]));
            TaskResult.Builder out = TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK);
            for (int i = 0; i < clusters.size(); i++) {
                int[] x = clusters.get(i);
                if (x[3] == 0) {
                    continue;
                }
                out.putStrings("color." + i, String.format("#%02x%02x%02x", x[0], x[1], x[2]));
                out.putNumbers("color." + i + ".fraction", (double) x[3] / n);
            }
            return out.build();
        }
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
