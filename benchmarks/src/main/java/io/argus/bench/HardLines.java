package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.agent.task.text.LineRecognizer;
import io.argus.task.geom.BoxF;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The line reader on 192 rendered hard lines: 8 sign-like strings in Hershey fonts, ink 20-120 gray
 * levels from a random background, dark or light, over a busy background (crossing lines), with
 * Gaussian noise (sigma 0, 12, 25) and blur, read from a fixed box as the text task would. Counts
 * exact readings (letters and digits, confidence at least 55) and the time per line, for readers
 * that take a second, binarised reading below a confidence of CONFIDENT (101: always, 0: never).
 *
 * <p>Usage: {@code java -cp argus-benchmarks.jar io.argus.bench.HardLines [CONFIDENT ...]}
 * (default: 101 80 0).
 */
public final class HardLines {
    private static final String[] WORDS = {"PARKING 24H", "EXIT B7", "KX52 RTY", "NO ENTRY", "PLATFORM 3",
            "WARNING 400V", "GATE 12", "LOADING BAY"};

    public static void main(String[] args) throws Exception {
        OpenCv.load();
        OpenCv.setThreads(1);
        double[] modes = args.length == 0 ? new double[]{101, LineRecognizer.CONFIDENT, 0}
                : Arrays.stream(args).mapToDouble(Double::parseDouble).toArray();
        for (double confident : modes) {
            try (LineRecognizer rec = new LineRecognizer(BenchAssets.root().resolve("models/tessdata"), "eng", confident)) {
                run(rec, 1, null); // warm-up
                long[] okAndNanos = new long[2];
                int n = run(rec, 1, okAndNanos);
                System.out.printf(Locale.ROOT, "second reading below confidence %.0f: %d/%d lines exact, %.1f ms per line%n",
                        confident, okAndNanos[0], n, okAndNanos[1] / 1e6 / n);
            }
        }
        System.exit(0);
    }

    private static int run(LineRecognizer rec, int rounds, long @Nullable [] okAndNanos) {
        int n = 0;
        for (int round = 0; round < rounds; round++) {
            Random rnd = new Random(1); // the same 192 lines every round and every reader
            Core.setRNGSeed(1);          // OpenCV's noise too
            int[] fonts = {Imgproc.FONT_HERSHEY_SIMPLEX, Imgproc.FONT_HERSHEY_DUPLEX, Imgproc.FONT_HERSHEY_TRIPLEX};
            for (int contrast : new int[]{120, 60, 35, 20}) {
                for (double noise : new double[]{0, 12, 25}) {
                    for (int blur : new int[]{1, 3}) {
                        for (String w : WORDS) {
                            Mat m = render(rnd, w, fonts[rnd.nextInt(fonts.length)], contrast, noise, blur);
                            try {
                                long t0 = System.nanoTime();
                                LineRecognizer.Reading r = rec.read(m, new BoxF(10, 30, 540, 65));
                                long dt = System.nanoTime() - t0;
                                String got = r.text().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
                                if (okAndNanos != null) {
                                    okAndNanos[1] += dt;
                                    if (got.equals(w.replaceAll("[^A-Z0-9]", "")) && r.confidence() >= 55) {
                                        okAndNanos[0]++;
                                    }
                                    n++;
                                }
                            } finally {
                                m.release();
                            }
                        }
                    }
                }
            }
        }
        return okAndNanos == null ? 0 : n;
    }

    private static Mat render(Random rnd, String text, int font, int contrast, double noise, int blur) {
        int bg = 90 + rnd.nextInt(80);
        int fg = rnd.nextBoolean() ? bg - contrast : bg + contrast;
        Mat m = new Mat(120, 560, CvType.CV_8UC3, new Scalar(bg, bg, bg));
        for (int k = 0; k < 6; k++) {
            Imgproc.line(m, new Point(rnd.nextInt(560), 0), new Point(rnd.nextInt(560), 119),
                    new Scalar(bg + 25, bg + 25, bg + 25), 2);
        }
        Imgproc.putText(m, text, new Point(20, 80), font, 1.6, new Scalar(fg, fg, fg), 3);
        if (noise > 0) {
            // zero-mean noise on unsigned pixels: add one draw, subtract another (saturating)
            Mat up = new Mat(m.size(), m.type());
            Mat down = new Mat(m.size(), m.type());
            Core.randn(up, 0, noise);
            Core.randn(down, 0, noise);
            Core.add(m, up, m);
            Core.subtract(m, down, m);
            up.release();
            down.release();
        }
        if (blur > 1) {
            Imgproc.GaussianBlur(m, m, new Size(blur * 2 + 1, blur * 2 + 1), 0);
        }
        return m;
    }
}
