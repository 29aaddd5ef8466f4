package io.argus.cli.analyze;

import io.argus.media.FfmpegSource;
import io.argus.media.FrameSource;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TimeAlignedSources} on real files made from vtest.avi by the ffmpeg command: a 10 fps and
 * a 5 fps camera of the same 10 s, and the same with recording starts 5 s apart in their tags.
 */
class TimeAlignedSourcesTest {

    /** The first 10 s of vtest.avi at {@code fps}, in MP4, tagged with {@code creationTime} unless null. */
    static Path clip(Path dir, String name, int fps, @org.jspecify.annotations.Nullable String creationTime) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".mp4");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", TestAssets.vtest().toString(),
                "-t", "10", "-r", Integer.toString(fps), "-c:v", "mpeg4", "-q:v", "5"));
        if (creationTime != null) {
            cmd.addAll(List.of("-metadata", "creation_time=" + creationTime));
        }
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve(name + ".log")));
        }
        return out;
    }

    /** Source index and time on the common clock (ms) of every frame, in the order given. */
    static List<long[]> drain(TimeAlignedSources aligned) throws IOException {
        List<long[]> out = new ArrayList<>();
        TimeAlignedSources.Next n;
        while ((n = aligned.next()) != null) {
            out.add(new long[]{n.source(), (aligned.offsetUs(n.source()) + n.frame().timestampUs()) / 1000});
        }
        return out;
    }

    @Test
    void camerasOfDifferentRatesComeInTheOrderOfTheirFramesTimes(@TempDir Path tmp) throws Exception {
        Path ten = clip(tmp, "ten", 10, null);
        Path five = clip(tmp, "five", 5, null);
        try (FrameSource a = FfmpegSource.file(ten.toString(), false); FrameSource b = FfmpegSource.file(five.toString(), false)) {
            List<long[]> order = drain(new TimeAlignedSources(List.of(a, b), List.of(ten.toString(), five.toString()), 0));
            assertThat(order.stream().filter(f -> f[0] == 0)).hasSize(100);
            assertThat(order.stream().filter(f -> f[0] == 1)).hasSize(50);
            for (int i = 1; i < order.size(); i++) {
                assertThat(order.get(i)[1]).as("frame %d", i).isGreaterThanOrEqualTo(order.get(i - 1)[1]);
            }
            // taking turns would have sent the 5 fps camera's frame at 9.8 s next to the other's 4.9 s
            assertThat(order.subList(0, 30).stream().filter(f -> f[0] == 1)).as("the slow camera's share early on").hasSize(10);
        }
    }

    @Test
    void recordingStartsFromTheContainersTagsAlignCamerasOnTheWallClock(@TempDir Path tmp) throws Exception {
        Path early = clip(tmp, "early", 10, "2026-12-06T22:00:00Z");
        Path late = clip(tmp, "late", 10, "2026-12-06T22:00:05Z");
        Path untagged = clip(tmp, "untagged", 10, null);
        try (FrameSource a = FfmpegSource.file(early.toString(), false); FrameSource b = FfmpegSource.file(late.toString(), false)) {
            TimeAlignedSources aligned = new TimeAlignedSources(List.of(b, a), List.of(late.toString(), early.toString()), 0);
            assertThat(aligned.offsetUs(0)).isEqualTo(5_000_000);
            assertThat(aligned.offsetUs(1)).isZero();
            List<long[]> order = drain(aligned);
            // the first 5 s are the early camera's alone
            assertThat(order.subList(0, 50).stream().allMatch(f -> f[0] == 1)).isTrue();
            assertThat(order.get(50)[1]).isEqualTo(5_000);
        }
        // one file without the tag: each file counts from its own start (a start guessed from the file
        // system is not trusted)
        try (FrameSource a = FfmpegSource.file(early.toString(), false); FrameSource c = FfmpegSource.file(untagged.toString(), false)) {
            TimeAlignedSources aligned = new TimeAlignedSources(List.of(a, c), List.of(early.toString(), untagged.toString()), 0);
            assertThat(aligned.offsetUs(0)).isZero();
            assertThat(aligned.offsetUs(1)).isZero();
            List<long[]> order = drain(aligned);
            assertThat(order.get(0)[0]).isZero();
            assertThat(order.get(1)[0]).isEqualTo(1);
        }
    }

    @Test
    void maxFramesBoundsEachSource(@TempDir Path tmp) throws Exception {
        Path ten = clip(tmp, "ten", 10, null);
        Path five = clip(tmp, "five", 5, null);
        try (FrameSource a = FfmpegSource.file(ten.toString(), false); FrameSource b = FfmpegSource.file(five.toString(), false)) {
            List<long[]> order = drain(new TimeAlignedSources(List.of(a, b), List.of(ten.toString(), five.toString()), 20));
            assertThat(order.stream().filter(f -> f[0] == 0)).hasSize(20);
            assertThat(order.stream().filter(f -> f[0] == 1)).hasSize(20);
        }
    }
}
