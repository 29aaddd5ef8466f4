package io.argus.agent.task.people;

import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.media.image.OpenCv;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.objdetect.HOGDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The agent's own HOG pyramid against OpenCV's {@code detectMultiScale} on vtest.avi: with
 * OpenCV on one thread (where its scores do belong to their windows) both give the same windows,
 * and each window's score within the SVM's run-to-run noise (measured at most 1.2e-7 here; the
 * bound is 1e-5, a thousandth of the 1/64 score quantum of {@link HogGrouping}); with OpenCV on two
 * threads the agent's answer is still the same from call to call.
 */
class HogPyramidTest {
    static final List<Mat> frames = new ArrayList<>();
    static final Size STRIDE = new Size(8, 8);
    static int threadsBefore;
    static HOGDescriptor hog;

    @BeforeAll
    static void decode() throws Exception {
        OpenCv.load();
        threadsBefore = Core.getNumThreads();
        hog = new HOGDescriptor();
        hog.setSVMDetector(HOGDescriptor.getDefaultPeopleDetector());
        try (FfmpegSource s = FfmpegSource.file(TestAssets.vtest().toString(), false)) {
            VideoFrame f;
            int n = 0;
            while ((f = s.next()) != null && frames.size() < 10) {
                if (n++ % 20 == 0) { // 10 frames 2 s apart: different people and places
                    Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
                    m.put(0, 0, f.bgr());
                    frames.add(m);
                }
            }
        }
    }

    @AfterAll
    static void release() {
        frames.forEach(Mat::release);
        Core.setNumThreads(threadsBefore);
    }

    static Map<String, Double> opencv(Mat img, double scale0) {
        MatOfRect found = new MatOfRect();
        MatOfDouble w = new MatOfDouble();
        try {
            hog.detectMultiScale(img, found, w, 0, STRIDE, STRIDE, scale0, 0, false);
            Map<String, Double> out = new TreeMap<>();
            if (found.empty()) {
                return out;
            }
            Rect[] r = found.toArray();
            double[] ws = w.toArray();
            for (int i = 0; i < r.length; i++) {
                out.put(r[i].toString(), ws[i]);
            }
            return out;
        } finally {
            found.release();
            w.release();
        }
    }

    static Map<String, Double> pyramid(Mat img, double scale0) {
        HogPyramid.Windows b = HogPyramid.detect(hog, img, 0, STRIDE, STRIDE, scale0);
        assertThat(b.scores()).hasSameSizeAs(b.rects());
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < b.rects().length; i++) {
            out.put(b.rects()[i].toString(), b.scores()[i]);
        }
        return out;
    }

    @Test
    void sameWindowsAndScoresAsOpenCvOnOneThread() {
        Core.setNumThreads(1);
        int windows = 0;
        for (Mat m : frames) {
            for (double scale0 : new double[]{1.05, 1.1}) {
                Map<String, Double> expected = opencv(m, scale0);
                Map<String, Double> actual = pyramid(m, scale0);
                assertThat(actual.keySet()).isEqualTo(expected.keySet());
                for (Map.Entry<String, Double> e : expected.entrySet()) {
                    assertThat(actual.get(e.getKey())).as(e.getKey()).isCloseTo(e.getValue(), within(1e-5));
                }
                windows += expected.size();
            }
        }
        assertThat(windows).as("raw windows compared").isGreaterThan(100);
    }

    @Test
    void theSameAnswerFromCallToCallWithOpenCvOnTwoThreads() {
        Core.setNumThreads(2);
        for (Mat m : frames) {
            Map<String, Double> first = pyramid(m, 1.05);
            for (int i = 0; i < 3; i++) {
                Map<String, Double> again = pyramid(m, 1.05);
                assertThat(again.keySet()).isEqualTo(first.keySet());
                for (Map.Entry<String, Double> e : first.entrySet()) {
                    assertThat(again.get(e.getKey())).isCloseTo(e.getValue(), within(1e-5));
                }
            }
        }
    }
}
