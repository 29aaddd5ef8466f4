package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.task.api.composite.StitchParams;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.argus.cli.AnalyzeCompositeTest.analyze;
import static io.argus.cli.AnalyzeCompositeTest.files;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --parallel} of several files composed into one picture, against the serial run of
 * the same command, on clips the ffmpeg command makes from vtest.avi.
 *
 * <p>{@code mosaic}: a 10 fps camera of 10 s and a 5 fps one that ends after 4 s, in 3 segments with
 * 2 s of warm-up. The last segment starts after the short camera ended, so its tile is drawn from
 * its last picture, greyed as stale. A wall keeps only each camera's latest picture, which the
 * warm-up gives it, so the walls must be the serial run's byte for byte, frame by frame.
 *
 * <p>{@code stitch}: two overlapping crops of the same view. The panorama's homography is estimated
 * from the pictures a segment first sees, not from the file's first pair, so equality is not
 * possible; a segment's must fit as the serial run's does: within {@link StitchParams#DEFAULT_DRIFT_PX},
 * the disagreement at which the task itself would estimate afresh.
 */
class AnalyzeParallelCompositeTest {

    @BeforeAll
    static void reset() {
        LeakCheck.reset();
    }

    private static Path clip(Path dir, String name, String seconds, int fps, String... filter) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".mp4");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", TestAssets.vtest().toString(), "-t", seconds,
                "-r", Integer.toString(fps)));
        cmd.addAll(List.of(filter));
        cmd.addAll(List.of("-c:v", "mpeg4", "-q:v", "5", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve(name + ".log")));
        }
        return out;
    }

    @Test
    void aWallOfTwoCamerasCutInThreeIsTheSerialWallFrameByFrame(@TempDir Path tmp) throws Exception {
        Path door = clip(tmp, "door", "10", 10);
        Path yard = clip(tmp, "yard", "4", 5);
        String[] run = {"--source", door.toString(), "--source", yard.toString(), "--tasks", "mosaic",
                "--param", "mosaic.width=640", "--param", "mosaic.height=360"};
        List<JsonNode> serial = analyze(tmp.resolve("serial.jsonl"), concat(run, "--save-images", tmp.resolve("serial").toString()));
        List<JsonNode> parallel = analyze(tmp.resolve("parallel.jsonl"), concat(run, "--save-images", tmp.resolve("parallel").toString(),
                "--parallel", "3", "--warm-up-seconds", "2"));
        assertThat(parallel).hasSameSizeAs(serial).hasSize(121);
        long stale = 0;
        for (int i = 0; i < 120; i++) {
            JsonNode s = serial.get(i);
            JsonNode p = parallel.get(i);
            assertThat(p.get("stream").asText()).isEqualTo("wall");
            assertThat(p.get("frame").asLong()).isEqualTo(i);
            assertThat(p.at("/tasks/mosaic/status").asText()).as("frame %d: %s", i, p).isEqualTo("OK");
            assertThat(p.at("/tasks/mosaic/numbers")).as("frame %d", i).isEqualTo(s.at("/tasks/mosaic/numbers"));
            assertThat(p.at("/tasks/mosaic/strings")).as("frame %d", i).isEqualTo(s.at("/tasks/mosaic/strings"));
            stale += p.at("/tasks/mosaic/numbers/mosaic.stale").asLong();
        }
        // the short camera's tile is stale from 3 s after its last picture: 7.0-9.9 s of the door camera
        assertThat(stale).as("frames with a stale tile").isGreaterThan(25);
        // the walls of results held for their turn are saved as they come, not kept in memory
        assertThat(parallel.get(120).at("/summary/images_saved").asLong()).isEqualTo(120);
        List<Path> serialWalls = files(tmp.resolve("serial/wall"));
        List<Path> parallelWalls = files(tmp.resolve("parallel/wall"));
        assertThat(parallelWalls).extracting(f -> f.getFileName().toString())
                .containsExactlyElementsOf(serialWalls.stream().map(f -> f.getFileName().toString()).toList()).hasSize(120);
        List<Integer> differ = new ArrayList<>();
        for (int i = 0; i < serialWalls.size(); i++) {
            if (!Arrays.equals(Files.readAllBytes(parallelWalls.get(i)), Files.readAllBytes(serialWalls.get(i)))) {
                differ.add(i);
            }
        }
        assertThat(differ).as("frames whose walls differ").isEmpty();
        LeakCheck.assertNoLeaks();
    }

    @Test
    void aPanoramaCutInTwoFitsTheSerialOneWithinTheTasksOwnDriftThreshold(@TempDir Path tmp) throws Exception {
        Path left = clip(tmp, "left", "6", 10, "-vf", "crop=480:576:0:0");
        Path right = clip(tmp, "right", "6", 10, "-vf", "crop=480:576:288:0");
        String[] run = {"--source", left.toString(), "--source", right.toString(), "--tasks", "stitch"};
        List<JsonNode> serial = analyze(tmp.resolve("serial.jsonl"), run);
        List<JsonNode> parallel = analyze(tmp.resolve("parallel.jsonl"), concat(run, "--parallel", "2", "--warm-up-seconds", "1"));
        assertThat(parallel).hasSameSizeAs(serial).hasSize(121);
        int compared = 0;
        double worstOfAll = 0;
        for (int i = 0; i < 120; i++) {
            JsonNode s = serial.get(i).at("/tasks/stitch");
            JsonNode p = parallel.get(i).at("/tasks/stitch");
            assertThat(parallel.get(i).get("frame").asLong()).isEqualTo(i);
            assertThat(p.get("status").asText()).as("frame %d", i).isEqualTo(s.get("status").asText()).isEqualTo("OK");
            assertThat(p.at("/strings/stitch.reference")).as("frame %d", i).isEqualTo(s.at("/strings/stitch.reference"));
            if (!s.at("/numbers").has("stitch.h0")) {
                continue; // the first frame waits for the second camera, in both runs
            }
            compared++;
            double worst = 0;
            for (double[] c : new double[][]{{0, 0}, {479, 0}, {0, 575}, {479, 575}}) {
                double[] a = project(s.at("/numbers"), c);
                double[] b = project(p.at("/numbers"), c);
                worst = Math.max(worst, Math.hypot(a[0] - b[0], a[1] - b[1]));
            }
            assertThat(worst).as("frame %d: the moving camera's corners, parallel against serial (px)", i)
                    .isLessThanOrEqualTo(StitchParams.DEFAULT_DRIFT_PX);
            worstOfAll = Math.max(worstOfAll, worst);
        }
        System.out.printf("stitch --parallel 2: the moving camera's corners at most %.2f px from the serial run's%n", worstOfAll);
        assertThat(compared).isEqualTo(119);
        LeakCheck.assertNoLeaks();
    }

    /** What a cut composite cannot do as the serial run does is refused before the cluster starts, with the reason. */
    @Test
    void trackingOnACompositeAndMosaicEveryAreRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path a = clip(tmp, "a", "2", 5);
        Path b = clip(tmp, "b", "2", 5);
        String[] two = {"--no-progress", "--out", tmp.resolve("o.jsonl").toString(), "--source", a.toString(), "--source", b.toString(),
                "--parallel", "2"};
        AnalyzeBadSourceTest.Run tracking = AnalyzeBadSourceTest.analyze(concat(two, "--tasks", "mosaic,people"));
        AnalyzeBadSourceTest.Run every = AnalyzeBadSourceTest.analyze(concat(two, "--tasks", "mosaic", "--param", "mosaic.every=2"));
        AnalyzeBadSourceTest.Run notComposed = AnalyzeBadSourceTest.analyze(concat(two, "--tasks", "color"));
        AnalyzeBadSourceTest.Run notANumber = AnalyzeBadSourceTest.analyze("--no-progress", "--source", a.toString(), "--tasks", "color",
                "--parallel", "many");
        AnalyzeBadSourceTest.Run threeStitched = AnalyzeBadSourceTest.analyze(concat(two, "--source", a.toString(), "--tasks", "stitch"));
        AnalyzeBadSourceTest.Run noSuchReference = AnalyzeBadSourceTest.analyze(concat(two, "--tasks", "stitch", "--param",
                "stitch.reference=c"));
        // a camera whose frames are not evenly spaced: frame 20 comes 1 s late (FFmpeg then gives it a nominal rate of 7.5 frames/s)
        Path uneven = tmp.resolve("uneven.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", TestAssets.vtest().toString(), "-t", "4", "-vf",
                "setpts='(N+gte(N,20)*10)/(10*TB)'", "-fps_mode", "vfr", "-c:v", "mpeg4", "-q:v", "5", uneven.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("uneven.log").toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0).as(Files.readString(tmp.resolve("uneven.log"))).isTrue();
        AnalyzeBadSourceTest.Run vfr = AnalyzeBadSourceTest.analyze("--no-progress", "--source", a.toString(), "--source",
                uneven.toString(), "--tasks", "mosaic", "--parallel", "2");
        for (AnalyzeBadSourceTest.Run r : List.of(threeStitched, noSuchReference, vfr)) {
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
            assertThat(r.clustersStarted()).isZero();
            assertThat(r.stderr()).startsWith("analyze: ").doesNotContain("\tat ");
        }
        assertThat(threeStitched.stderr()).contains("exactly two sources (got 3)");
        assertThat(noSuchReference.stderr()).contains("stitch.reference=c names no source");
        assertThat(vfr.stderr()).contains("uneven.mp4: frame ").contains("a variable frame rate").contains("evenly spaced");
        for (AnalyzeBadSourceTest.Run r : List.of(tracking, every, notComposed, notANumber)) {
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
            assertThat(r.clustersStarted()).isZero();
            assertThat(r.stderr()).startsWith("analyze: --").doesNotContain("\tat ");
        }
        assertThat(tracking.stderr()).contains("people follows one camera");
        assertThat(every.stderr()).contains("mosaic.every=2");
        assertThat(notComposed.stderr()).contains("or several composed by mosaic or stitch");
        assertThat(notANumber.stderr()).contains("a number or auto: many");
    }

    private static double[] project(JsonNode n, double[] c) {
        double[] h = new double[9];
        for (int k = 0; k < 9; k++) {
            h[k] = n.get("stitch.h" + k).asDouble();
        }
        double w = h[6] * c[0] + h[7] * c[1] + h[8];
        return new double[]{(h[0] * c[0] + h[1] * c[1] + h[2]) / w, (h[3] * c[0] + h[4] * c[1] + h[5]) / w};
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
