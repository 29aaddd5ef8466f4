package io.argus.agent.task.composite;

import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.v1.TaskResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MosaicTaskTest {
    static StreamStateStore states;

    @BeforeAll
    static void load() {
        OpenCv.load();
        states = new StreamStateStore(Duration.ofMinutes(1));
    }

    @AfterAll
    static void close() {
        states.close();
    }

    @Test
    void cellsTileTheCanvasExactly() {
        for (String layout : List.of("grid", "1+5")) {
            for (int n = 1; n <= 16; n++) {
                int shown = MosaicLayout.capacity(layout, n);
                List<Rect> cells = MosaicLayout.cells(layout, shown, 1920, 1080);
                assertThat(cells).hasSize(shown);
                long area = 0;
                for (int i = 0; i < cells.size(); i++) {
                    Rect a = cells.get(i);
                    assertThat(a.x).isGreaterThanOrEqualTo(0);
                    assertThat(a.y).isGreaterThanOrEqualTo(0);
                    assertThat(a.x + a.width).isLessThanOrEqualTo(1920);
                    assertThat(a.y + a.height).isLessThanOrEqualTo(1080);
                    area = (long) (area + a.area());
                    for (int j = i + 1; j < cells.size(); j++) {
                        Rect b = cells.get(j);
                        boolean overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
                        assertThat(overlap).as("%s n=%d cells %d and %d", layout, n, i, j).isFalse();
                    }
                }
                if (layout.equals("grid")) {
                    int cols = (int) Math.ceil(Math.sqrt(n));
                    int rows = (int) Math.ceil((double) n / cols);
                    // exactly the grid's cells: each is within a pixel of W/cols x H/rows
                    for (Rect c : cells) {
                        assertThat(Math.abs(c.width - 1920.0 / cols)).isLessThanOrEqualTo(1);
                        assertThat(Math.abs(c.height - 1080.0 / rows)).isLessThanOrEqualTo(1);
                    }
                    if (n == cols * rows) {
                        assertThat(area).isEqualTo(1920L * 1080);
                    }
                }
            }
        }
        // 1+5: the large cell is 2x2 of a 3x3 grid
        List<Rect> c = MosaicLayout.cells("1+5", 6, 1920, 1080);
        assertThat(c.get(0)).isEqualTo(new Rect(0, 0, 1280, 720));
        assertThat(c).extracting(r -> r.area()).containsOnly(1280.0 * 720, 640.0 * 360);
        assertThat(c.stream().mapToDouble(Rect::area).sum()).isEqualTo(1920.0 * 1080);
    }

    static Mat solid(Scalar bgr) {
        return new Mat(480, 640, CvType.CV_8UC3, bgr);
    }

    @Test
    void aStoppedStreamShowsAsStaleAndTheWallKeepsGoing() throws Exception {
        MosaicTask task = new MosaicTask();
        Map<String, Scalar> colours = Map.of("a", new Scalar(0, 0, 255), "b", new Scalar(0, 255, 0), "c", new Scalar(255, 0, 0));
        Map<String, Mat> frames = new HashMap<>();
        colours.forEach((k, v) -> frames.put(k, solid(v)));
        TaskResult last = null;
        try {
            for (int t = 0; t < 50; t++) {
                for (String tile : List.of("a", "b", "c")) {
                    if (tile.equals("c") && t >= 10) {
                        continue; // camera c stops after one second
                    }
                    long us = t * 100_000L;
                    last = task.run(new TaskContext("wall", t, t, us, frames.get(tile),
                            Map.of("tile", tile, "width", "1280", "height", "720", "staleMs", "2000", "pinned", "b"),
                            states.acquire("wall", t)));
                }
            }
        } finally {
            frames.values().forEach(Mat::release);
        }
        assertThat(last.getNumbersOrThrow("mosaic.tiles")).isEqualTo(3);
        assertThat(last.getNumbersOrThrow("mosaic.stale")).isEqualTo(1);
        // pinned b comes first
        assertThat(last.getStringsOrThrow("mosaic.cell.b")).isEqualTo("0,0,640,360");
        Mat wall = Imgcodecs.imdecode(new MatOfByte(last.getImages(0).getData().toByteArray()), Imgcodecs.IMREAD_COLOR);
        try {
            assertThat(wall.cols()).isEqualTo(1280);
            assertThat(wall.rows()).isEqualTo(720);
            double[] b = wall.get(180, 320);     // centre of tile b: green
            double[] c = wall.get(180 + 360, 320); // centre of tile c (third cell): grey, dimmed
            assertThat(b[1]).isGreaterThan(200);
            assertThat(b[2]).isLessThan(60);
            assertThat(Math.abs(c[0] - c[1])).isLessThan(20); // no colour left
            assertThat(Math.abs(c[1] - c[2])).isLessThan(20);
            assertThat(c[0]).isLessThan(100);
        } finally {
            wall.release();
        }
    }

    /**
     * Two walls that end with the same latest picture of each camera are the same wall, whichever
     * cameras were on it when each picture came: what lets a segment of {@code analyze --parallel},
     * which meets the cameras in another order in its warm-up, draw the serial run's wall. Before,
     * a picture that came while it was the only tile was kept at the whole wall's scale.
     */
    @Test
    void theWallDependsOnTheLatestPicturesNotOnWhichTilesWereThereWhenTheyCame() throws Exception {
        MosaicTask task = new MosaicTask();
        Map<String, Mat> frames = new HashMap<>();
        for (String k : List.of("a0", "b0", "a1", "b1")) {
            Mat m = new Mat(960, 1280, CvType.CV_8UC3); // larger than 2/3 of the wall
            org.opencv.core.Core.randu(m, 0, 256);
            frames.put(k, m);
        }
        Map<String, String> wall = Map.of("width", "1280", "height", "720", "pinned", "a,b");
        try {
            byte[] both = null;
            byte[] alone = null;
            long seq = 0;
            for (String[] run : List.of(new String[]{"x", "a0", "b0", "a1", "b1"}, new String[]{"y", "b1", "a1"})) {
                TaskResult last = null;
                for (int i = 1; i < run.length; i++) {
                    Map<String, String> p = new HashMap<>(wall);
                    p.put("tile", run[i].substring(0, 1));
                    long us = 100_000L * (run[i].charAt(1) - '0' + 1);
                    last = task.run(new TaskContext(run[0], seq, seq, us, frames.get(run[i]), p, states.acquire(run[0], seq)));
                    seq++;
                }
                byte[] jpeg = last.getImages(0).getData().toByteArray();
                if (run[0].equals("x")) {
                    both = jpeg;
                } else {
                    alone = jpeg;
                }
            }
            assertThat(alone).as("the wall whose b came while it was alone").isEqualTo(both);
        } finally {
            frames.values().forEach(Mat::release);
        }
    }
}
