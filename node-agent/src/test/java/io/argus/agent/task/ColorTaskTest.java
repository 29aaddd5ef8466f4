package io.argus.agent.task;

import io.argus.media.image.OpenCv;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ColorTaskTest {
    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void findsTheKnownColoursAndTheirShares() throws Exception {
        // 50% orange, 30% teal, 20% dark violet, with a little noise so k-means has real work to do
        Mat img = new Mat(200, 300, CvType.CV_8UC3);
        Imgproc.rectangle(img, new Point(0, 0), new Point(149, 199), new Scalar(0, 140, 255), -1);   // BGR of #ff8c00
        Imgproc.rectangle(img, new Point(150, 0), new Point(239, 199), new Scalar(128, 128, 0), -1); // #008080
        Imgproc.rectangle(img, new Point(240, 0), new Point(299, 199), new Scalar(90, 20, 60), -1);  // #3c145a
        Mat noise = new Mat(img.size(), img.type());
        Core.randn(noise, 0, 3);
        Core.add(img, noise, img);
        noise.release();
        try {
            TaskResult res = new ColorTask().run(TaskTesting.context("c", 0, img, Map.of("k", "3")));
            assertThat(res.getStatus()).isEqualTo(Code.OK);
            assertThat(res.getStringsMap().get("color.0")).satisfies(c -> assertClose(c, 0xff, 0x8c, 0x00));
            assertThat(res.getStringsMap().get("color.1")).satisfies(c -> assertClose(c, 0x00, 0x80, 0x80));
            assertThat(res.getStringsMap().get("color.2")).satisfies(c -> assertClose(c, 0x3c, 0x14, 0x5a));
            // area averaging to 64 px wide blurs the borders a little: 2 points of tolerance
            assertThat(res.getNumbersMap().get("color.0.fraction")).isCloseTo(0.5, within(0.02));
            assertThat(res.getNumbersMap().get("color.1.fraction")).isCloseTo(0.3, within(0.02));
            assertThat(res.getNumbersMap().get("color.2.fraction")).isCloseTo(0.2, within(0.02));
            // deterministic
            assertThat(new ColorTask().run(TaskTesting.context("c", 1, img, Map.of("k", "3")))).isEqualTo(res);
        } finally {
            img.release();
        }
    }

    @Test
    void rejectsBadParameters() {
        ColorTask t = new ColorTask();
        Assertions.assertThatThrownBy(() -> t.validate(Map.of("k", "0")))
                .isInstanceOf(TaskException.class).hasMessageContaining("'k'");
        Assertions.assertThatThrownBy(() -> t.validate(Map.of("k", "many")))
                .isInstanceOf(TaskException.class).hasMessageContaining("'k'");
    }

    private static void assertClose(String hex, int r, int g, int b) {
        int v = Integer.parseInt(hex.substring(1), 16);
        assertThat((v >> 16) & 0xff).as("red of %s", hex).isCloseTo(r, within(8));
        assertThat((v >> 8) & 0xff).as("green of %s", hex).isCloseTo(g, within(8));
        assertThat(v & 0xff).as("blue of %s", hex).isCloseTo(b, within(8));
    }
}
