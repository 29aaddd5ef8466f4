package io.argus.agent.task;

import io.argus.media.image.OpenCv;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FaceTaskTest {
    static FaceTask task;

    @BeforeAll
    static void load() {
        OpenCv.load();
        task = new FaceTask(new ModelFiles(TestAssets.root().resolve("models")).file(
                "cascades/haarcascade_frontalface_default.xml"));
    }

    @Test
    void findsTheFaceInAFacePhoto() throws Exception {
        Path photo = TestAssets.file("images/faces/messi5.jpg");
        Mat img = Imgcodecs.imread(photo.toString());
        try {
            TaskResult r = task.run(TaskTesting.context("f", 0, img, Map.of()));
            // the player's face (eyes to chin) spans about x 220-257, y 90-127 in this 548x342 photo,
            // read off a 3x crop by eye; its centre is (240, 108)
            assertThat(r.getOverlaysList()).extracting(Overlay::getBox)
                    .anySatisfy(b -> {
                        assertThat(contains(b, 240, 108)).isTrue();
                        assertThat(b.getWidth()).isBetween(20f, 80f);
                    });
            assertThat(r.getNumbersMap().get("faces.count")).isEqualTo(r.getOverlaysCount());
        } finally {
            img.release();
        }
    }

    @Test
    void findsNoFaceInAFlatImage() throws Exception {
        Mat img = new Mat(480, 640, CvType.CV_8UC3, new Scalar(90, 90, 90));
        try {
            assertThat(task.run(TaskTesting.context("f", 0, img, Map.of())).getOverlaysCount()).isZero();
        } finally {
            img.release();
        }
    }

    private static boolean contains(Box b, float x, float y) {
        return x >= b.getX() && x <= b.getX() + b.getWidth() && y >= b.getY() && y <= b.getY() + b.getHeight();
    }
}
