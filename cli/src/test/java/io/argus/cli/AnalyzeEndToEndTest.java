package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.media.image.OpenCv;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code argus analyze} in-process, on its embedded cluster (ZooKeeper + two agents), on real files. */
class AnalyzeEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void load() {
        OpenCv.load();
        LeakCheck.reset();
    }

    static List<JsonNode> analyze(Path out, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("analyze", "--no-progress", "--out", out.toString()));
        all.addAll(List.of(args));
        int rc = ArgusLauncher.commandLine().execute(all.toArray(String[]::new));
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            lines.add(JSON.readTree(l));
        }
        assertThat(rc).as("exit code").isZero();
        return lines;
    }

    @Test
    void everyFrameOfTheSampleClipComesBackOnceInOrder(@TempDir Path tmp) throws Exception {
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source", TestAssets.vtest().toString(),
                "--tasks", "noop,color", "--param", "color.k=3");
        assertThat(lines).hasSize(796);
        for (int i = 0; i < 795; i++) {
            JsonNode l = lines.get(i);
            assertThat(l.get("stream").asText()).isEqualTo("vtest");
            assertThat(l.get("frame").asLong()).isEqualTo(i);
            assertThat(l.get("width").asInt()).isEqualTo(768);
            assertThat(l.get("height").asInt()).isEqualTo(576);
            assertThat(l.get("agent").asText()).startsWith("local-");
            assertThat(l.at("/tasks/noop/status").asText()).isEqualTo("OK");
            assertThat(l.at("/tasks/color/strings").size()).isEqualTo(3);
        }
        JsonNode summary = lines.get(795).get("summary");
        assertThat(summary.get("frames").asLong()).isEqualTo(795);
        assertThat(summary.get("errors").asLong()).isZero();
        assertThat(summary.at("/latency_ms/p99").asDouble()).isPositive();
        LeakCheck.assertNoLeaks();
    }

    @Test
    void peopleCountingThroughTheClusterWritesMotTracksForEveryFrameAndScoresAgainstGroundTruth(@TempDir Path tmp)
            throws Exception {
        Path mot = tmp.resolve("tracks.txt");
        Path gt = tmp.resolve("gt.txt");
        try (var in = getClass().getResourceAsStream("/gt/vtest-s0-300.txt")) {
            Files.copy(in, gt);
        }
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source", TestAssets.vtest().toString(),
                "--max-frames", "301", "--line", "mid:384,0,384,576", "--mot-out", mot.toString(), "--gt", gt.toString());
        JsonNode summary = lines.get(lines.size() - 1).get("summary");
        JsonNode mid = summary.at("/streams/vtest/lines/mid");
        assertThat(mid.get("in").asLong() + mid.get("out").asLong()).isPositive();
        JsonNode truth = summary.at("/ground_truth/lines/mid");
        assertThat(truth.get("gt_in").asLong()).isEqualTo(7);
        assertThat(truth.get("gt_out").asLong()).isEqualTo(2);
        // the hand-labelled stretch has 9 crossings; the pipeline may be off by at most two
        assertThat(truth.get("error").asLong()).isLessThanOrEqualTo(2);
        Set<Integer> frames = new TreeSet<>();
        for (String row : Files.readAllLines(mot)) {
            String[] f = row.split(",");
            assertThat(f).hasSize(10);
            assertThat(f[7]).isEqualTo("-1");
            frames.add(Integer.parseInt(f[0]));
            assertThat(Double.parseDouble(f[4])).isPositive();
        }
        // people are in view throughout: tracks from their confirmation (a few frames) to the last frame
        int first = ((TreeSet<Integer>) frames).first();
        assertThat(first).isLessThanOrEqualTo(10);
        for (int f = first; f <= 301; f++) {
            assertThat(frames).as("MOT rows for frame %d", f).contains(f);
        }
    }

    @Test
    void facesAreFoundInAFacePhotoThroughTheCluster(@TempDir Path tmp) throws Exception {
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source",
                TestAssets.root().resolve("images/faces").toString(), "--tasks", "faces");
        assertThat(lines).hasSize(2);
        JsonNode overlays = lines.get(0).at("/tasks/faces/overlays");
        boolean found = false;
        for (JsonNode b : overlays) {
            double x = b.get("x").asDouble();
            double y = b.get("y").asDouble();
            // the player's face centre, (240, 108), see FaceTaskTest
            found |= x <= 240 && 240 <= x + b.get("w").asDouble() && y <= 108 && 108 <= y + b.get("h").asDouble();
        }
        assertThat(found).as("a face box over the player's face in %s", overlays).isTrue();
    }

    @Test
    void knownColoursComeBackFromASyntheticImage(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("img"));
        Mat img = new Mat(240, 320, CvType.CV_8UC3, new Scalar(255, 0, 0));               // 75% blue
        Imgproc.rectangle(img, new Point(0, 180), new Point(319, 239), new Scalar(0, 255, 255), -1); // 25% yellow
        Imgcodecs.imwrite(dir.resolve("synthetic.png").toString(), img);
        img.release();
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source", dir.toString(), "--tasks", "color",
                "--param", "color.k=2", "--encoding", "png");
        JsonNode color = lines.get(0).at("/tasks/color");
        assertThat(color.at("/strings/color.0").asText()).isEqualTo("#0000ff");
        assertThat(color.at("/strings/color.1").asText()).isEqualTo("#ffff00");
        assertThat(color.at("/numbers/color.0.fraction").asDouble()).isCloseTo(0.75, within(0.02));
    }

    /**
     * Issue 20: a watch list on still photos raised nothing, because the text task waited for three
     * sightings of a reading that a photo gives once. With only stills, analyze asks for one; an
     * explicit agree still wins (and then, on one photo, nothing is reported).
     */
    @Test
    void aWatchListOnAFolderOfPhotosRaisesItsEvent(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(TestAssets.file("images/text/scenetext05.jpg"), dir.resolve("scenetext05.jpg"));
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source", dir.toString(), "--tasks", "text",
                "--watch", "PARK");
        assertThat(watchEvents(lines)).as("watch events on one photo of NO PARKING").isNotEmpty();
        List<JsonNode> explicit = analyze(tmp.resolve("out3.jsonl"), "--source", dir.toString(), "--tasks", "text",
                "--watch", "PARK", "--param", "text.agree=3");
        assertThat(watchEvents(explicit)).isEmpty();
        // a single image is a still too
        List<JsonNode> single = analyze(tmp.resolve("single.jsonl"), "--source", dir.resolve("scenetext05.jpg").toString(),
                "--tasks", "text", "--watch", "PARK");
        assertThat(watchEvents(single)).isNotEmpty();
    }

    static List<JsonNode> watchEvents(List<JsonNode> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : lines) {
            for (JsonNode e : l.at("/tasks/text/events")) {
                if (e.path("type").asText().equals("watch")) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Test
    void aFailedFrameMakesTheExitCodeNonZero(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        int rc = ArgusLauncher.commandLine().execute("analyze", "--no-progress", "--out", out.toString(),
                "--source", TestAssets.root().resolve("images/faces").toString(), "--tasks", "no-such-task");
        assertThat(rc).isEqualTo(1);
        JsonNode first = JSON.readTree(Files.readAllLines(out).get(0));
        assertThat(first.at("/error/code").asText()).isEqualTo("UNSUPPORTED_TASK");
    }
}
