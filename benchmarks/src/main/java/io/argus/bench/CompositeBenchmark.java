package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.composite.MosaicTask;
import io.argus.agent.task.composite.StitchTask;
import io.argus.agent.task.text.LineRecognizer;
import io.argus.agent.task.text.TextLineDetector;
import io.argus.agent.task.text.TextTask;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.text.TextParams;
import io.argus.task.geom.BoxF;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-call cost of the vision tasks that are not per-frame video pipelines: text on the scene
 * photos, the stitched panorama after setup, and a 3x3 wall of 640x480 tiles. One OpenCV thread,
 * as in an agent's worker.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CompositeBenchmark {
    StreamStateStore states;
    TextTask text;
    TextLineDetector lineDetector;
    LineRecognizer lineRecognizer;
    // every line the detector finds on the six photos, as (photo index, box)
    List<Object[]> lines = new ArrayList<>();
    int nextLine;
    List<Mat> scenes = new ArrayList<>();
    int next;
    StitchTask stitch;
    Mat left;
    Mat right;
    long t;
    MosaicTask mosaic;
    List<Mat> tiles = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OpenCv.load();
        Core.setNumThreads(1);
        states = new StreamStateStore(Duration.ofHours(1));
        var root = BenchAssets.root();
        text = new TextTask(new TextLineDetector(1280), new LineRecognizer(root.resolve("models/tessdata"), "eng"));
        for (int i = 1; i <= 6; i++) {
            scenes.add(Imgcodecs.imread(root.resolve("images/text/scenetext0" + i + ".jpg").toString()));
        }
        lineDetector = new TextLineDetector(TextParams.DEFAULT_MAX_SIDE);
        lineRecognizer = new LineRecognizer(root.resolve("models/tessdata"), "eng");
        for (int i = 0; i < scenes.size(); i++) {
            for (var box : lineDetector.detect(scenes.get(i))) {
                lines.add(new Object[] {i, box});
            }
        }
        System.out.println("# text lines detected on the six photos: " + lines.size());
        Mat photo = Imgcodecs.imread(root.resolve("images/stitch/graf1.png").toString());
        left = photo.submat(new Rect(0, 0, 560, 480)).clone();
        Mat rot = Imgproc.getRotationMatrix2D(new Point(400, 320), 4, 1);
        Mat rotated = new Mat();
        Imgproc.warpAffine(photo, rotated, rot, photo.size());
        right = rotated.submat(new Rect(240, 80, 560, 480)).clone();
        stitch = new StitchTask();
        stitch.run(new TaskContext("p", 0, 0, 0, left, Map.of("camera", "A"), states.acquire("p", 0)));
        stitch.run(new TaskContext("p", 1, 1, 1, right, Map.of("camera", "B"), states.acquire("p", 1)));
        mosaic = new MosaicTask();
        Mat frame = Imgcodecs.imread(root.resolve("images/faces/messi5.jpg").toString());
        for (int i = 0; i < 9; i++) {
            Mat m = new Mat();
            Imgproc.resize(frame, m, new Size(640, 480));
            tiles.add(m);
        }
        for (int i = 0; i < 9; i++) {
            mosaic.run(new TaskContext("wall", i, i, i, tiles.get(i), Map.of("tile", "cam" + i, "width", "1920",
                    "height", "1440", "every", "1000"), states.acquire("wall", i)));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        states.close();
        text.close();
        lineRecognizer.close();
    }

    /** One scene photo (the six in turn), through detection, recognition and the sparse pass. */
    @Benchmark
    public TaskResult textPerSceneImage() throws Exception {
        Mat img = scenes.get(next++ % scenes.size());
        return text.run(new TaskContext("scene" + (next % 6), next, next, next, img, Map.of("agree", "1"),
                states.acquire("scene" + (next % 6), next)));
    }

    /**
     * Detection alone (MSER + line grouping) on one scene photo, the six in turn, in the working
     * copy the text task searches (longest side {@link TextParams#DEFAULT_MAX_SIDE}).
     */
    @Benchmark
    public Object textDetectPerSceneImage() {
        return lineDetector.detect(scenes.get(next++ % scenes.size()));
    }

    /** Tesseract (PSM 7) on one detected line, every line of the six photos in turn. */
    @Benchmark
    public Object textRecognizePerLine() {
        Object[] l = lines.get(nextLine++ % lines.size());
        return lineRecognizer.read(scenes.get((Integer) l[0]), (BoxF) l[1]);
    }

    /** One panorama frame with the homography cached: two warps and a feathered blend. */
    @Benchmark
    public TaskResult stitchFrameAfterSetup() throws Exception {
        t++;
        return stitch.run(new TaskContext("p", t, t, 1_000 + t, right, Map.of("camera", "B", "recheckMs", "0"),
                states.acquire("p", t)));
    }

    /** A 3x3 wall of 640x480 tiles (1920x1440), composed and JPEG-encoded. */
    @Benchmark
    public TaskResult mosaicWall3x3() throws Exception {
        t++;
        return mosaic.run(new TaskContext("wall", t, t, 1_000 + t, tiles.get((int) (t % 9)),
                Map.of("tile", "cam" + (t % 9), "width", "1920", "height", "1440"), states.acquire("wall", t)));
    }
}
