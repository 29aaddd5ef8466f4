package io.argus.media.segment;

import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
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
 * {@link FrameTimes} read from the packets equal the times of the decoded frames, frame by frame,
 * on the sample clip and on files the ffmpeg command makes the hard way: H.264 with B-frames (packets
 * out of presentation order) and MPEG-TS (timestamps that do not start at 0).
 */
class FrameTimesTest {

    private static long[] decoded(Path file) throws IOException {
        List<Long> out = new ArrayList<>();
        try (FfmpegSource src = FfmpegSource.file(file.toString(), false)) {
            VideoFrame f;
            while ((f = src.next()) != null) {
                out.add(f.timestampUs());
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static Path made(Path dir, String name, String... codec) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", TestAssets.vtest().toString(), "-t", "8"));
        cmd.addAll(List.of(codec));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve(name + ".log")));
        }
        return out;
    }

    @Test
    void theSampleClipsTimesAreTheDecodersWithoutDecoding() throws Exception {
        long[] times = FrameTimes.read(TestAssets.vtest().toString());
        assertThat(times).hasSize(795).containsExactly(decoded(TestAssets.vtest()));
    }

    @Test
    void bFramesAndAStreamThatDoesNotStartAtZeroToo(@TempDir Path dir) throws Exception {
        Path h264 = made(dir, "b.mp4", "-c:v", "libx264", "-bf", "3", "-g", "25", "-preset", "ultrafast",
                "-x264-params", "bframes=3");
        Path ts = made(dir, "s.ts", "-c:v", "mpeg2video", "-bf", "2", "-q:v", "5");
        for (Path f : List.of(h264, ts)) {
            long[] times = FrameTimes.read(f.toString());
            assertThat(times).as(f.getFileName().toString()).hasSizeGreaterThan(70).containsExactly(decoded(f));
        }
    }

    private static long[] grid(int frames, double fps) {
        return java.util.stream.LongStream.range(0, frames).map(i -> Math.round(i * 1e6 / fps)).toArray();
    }

    @Test
    void framesOffTheirRatesGridByMoreThanHalfAFrameAreRefused() throws Exception {
        long[] jittered = grid(50, 25);
        jittered[10] += 15_000; // 15 ms late at 25 frames/s (40 ms a frame): still frame 10
        FrameTimes.checkEvenlySpaced("a.mp4", jittered, 25);
        long[] gap = grid(50, 25);
        for (int i = 30; i < gap.length; i++) {
            gap[i] += 1_000_000; // a second missing from the recording
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameTimes.checkEvenlySpaced("b.mp4", gap, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b.mp4: frame 30 is shown at 2200 ms, not at 1200 ms");
        FrameTimes.checkEvenlySpaced("vtest.avi", FrameTimes.read(TestAssets.vtest().toString()), 10);
    }
}
