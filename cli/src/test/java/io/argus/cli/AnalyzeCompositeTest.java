package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --save-images} and composing several sources ({@code --tasks mosaic}) in-process,
 * on the embedded cluster, on the bundled footage and photo.
 */
class AnalyzeCompositeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void reset() {
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
        assertThat(rc).as("exit code; output %s", lines).isZero();
        return lines;
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void theAnnotatedFrameIsSavedAsAPicture(@TempDir Path tmp) throws Exception {
        Path images = tmp.resolve("images");
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source",
                TestAssets.file("images/faces/messi5.jpg").getParent().toString(), "--tasks", "faces,annotate", "--save-images", images.toString());
        JsonNode frame = lines.get(0);
        assertThat(frame.at("/tasks/annotate/status").asText()).isEqualTo("OK");
        String stream = frame.get("stream").asText();
        List<Path> saved = files(images.resolve(stream));
        assertThat(saved).extracting(p -> p.getFileName().toString()).containsExactly("00000000-annotate-annotated.jpg");
        BufferedImage img = ImageIO.read(saved.get(0).toFile());
        assertThat(img.getWidth()).isEqualTo(548);
        assertThat(img.getHeight()).isEqualTo(342);
        JsonNode summary = lines.get(lines.size() - 1).get("summary");
        assertThat(summary.get("images_saved").asLong()).isEqualTo(1);
        LeakCheck.assertNoLeaks();
    }

    /**
     * Two sources and mosaic make one wall: before, each source was a stream of its own and every
     * frame failed with "parameter 'tile' = ''". The sources now take turns on one stream, each
     * frame tagged with its source's name as the tile.
     */
    @Test
    void twoSourcesWithMosaicComposeOneWall(@TempDir Path tmp) throws Exception {
        Path images = tmp.resolve("images");
        List<JsonNode> lines = analyze(tmp.resolve("out.jsonl"), "--source", TestAssets.vtest().toString(),
                "--source", TestAssets.file("images/faces/messi5.jpg").getParent().toString(), "--tasks", "mosaic", "--max-frames", "4",
                "--param", "mosaic.width=640", "--param", "mosaic.height=360", "--save-images", images.toString());
        List<JsonNode> frames = lines.subList(0, lines.size() - 1);
        // vtest's 4 frames and the photo, in turns, on one stream
        assertThat(frames).hasSize(5);
        for (int i = 0; i < frames.size(); i++) {
            JsonNode f = frames.get(i);
            assertThat(f.get("stream").asText()).isEqualTo("wall");
            assertThat(f.get("frame").asLong()).isEqualTo(i);
            assertThat(f.at("/tasks/mosaic/status").asText()).as("%s", f).isEqualTo("OK");
        }
        JsonNode last = frames.get(frames.size() - 1);
        assertThat(last.at("/tasks/mosaic/numbers/mosaic.tiles").asInt()).isEqualTo(2);
        assertThat(last.at("/tasks/mosaic/strings").has("mosaic.cell.vtest")).isTrue();
        assertThat(last.at("/tasks/mosaic/strings").has("mosaic.cell.faces")).isTrue();
        List<Path> walls = files(images.resolve("wall"));
        assertThat(walls).hasSize(5);
        BufferedImage wall = ImageIO.read(walls.get(4).toFile());
        assertThat(wall.getWidth()).isEqualTo(640);
        assertThat(wall.getHeight()).isEqualTo(360);
        LeakCheck.assertNoLeaks();
    }
}
