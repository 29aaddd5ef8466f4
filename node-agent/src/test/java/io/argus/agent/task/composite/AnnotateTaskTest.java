package io.argus.agent.task.composite;

import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnnotateTaskTest {
    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void burnsEarlierOverlaysAndAlphaCompositesAnImage() throws Exception {
        Mat frame = new Mat(200, 300, CvType.CV_8UC3, new Scalar(100, 100, 100));
        // a 40x40 pure red square at 50% alpha
        Mat logo = new Mat(40, 40, CvType.CV_8UC4, new Scalar(0, 0, 255, 128));
        MatOfByte png = new MatOfByte();
        Imgcodecs.imencode(".png", logo, png);
        String b64 = Base64.getEncoder().encodeToString(png.toArray());
        TaskResult people = TaskResult.newBuilder().setTask("people").addOverlays(Overlay.newBuilder()
                .setBox(Box.newBuilder().setX(150).setY(50).setWidth(60).setHeight(100).setLabel("person").setTrackId(3))).build();
        try (StreamStateStore states = new StreamStateStore(Duration.ofMinutes(1))) {
            TaskResult r = new AnnotateTask().run(new TaskContext("s", 0, 0, 0, frame,
                    Map.of("overlay", b64, "overlayX", "10", "overlayY", "20", "quality", "100"),
                    states.acquire("s", 0), List.of(people)));
            Mat out = Imgcodecs.imdecode(new MatOfByte(r.getImages(0).getData().toByteArray()), Imgcodecs.IMREAD_COLOR);
            try {
                double[] blended = out.get(40, 30);      // inside the square
                assertThat(blended[2]).isCloseTo(100 + (255 - 100) * 128 / 255.0, within(6.0));
                assertThat(blended[0]).isCloseTo(100 * (1 - 128 / 255.0), within(6.0));
                double[] untouched = out.get(150, 20);
                assertThat(untouched[0]).isCloseTo(100, within(4.0));
                double[] boxEdge = out.get(100, 150);    // left edge of the person's box: green
                assertThat(boxEdge[1]).isGreaterThan(180);
                assertThat(out.cols()).isEqualTo(300);
            } finally {
                out.release();
            }
        } finally {
            frame.release();
            logo.release();
            png.release();
        }
    }
}
