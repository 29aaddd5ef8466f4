package io.argus.media;

import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a recording's start comes from, on real files made by the ffmpeg command. */
class RecordingStartTest {

    @Test
    void theContainersCreationTimeTagWins(@TempDir Path tmp) throws Exception {
        Path mp4 = tmp.resolve("tagged.mp4");
        ffmpeg(tmp, "-i", TestAssets.vtest().toString(), "-frames:v", "5", "-c:v", "mpeg4",
                "-metadata", "creation_time=2026-12-06T22:00:00Z", mp4.toString());
        Files.setLastModifiedTime(mp4, FileTime.from(Instant.parse("2030-01-01T00:00:00Z"))); // not used
        try (FrameSource s = Sources.open(mp4.toString(), false)) {
            RecordingStart start = RecordingStart.of(s, mp4.toString()).orElseThrow();
            assertThat(start.at()).isEqualTo(Instant.parse("2026-12-06T22:00:00Z"));
            assertThat(start.origin()).isEqualTo(RecordingStart.TAG);
            assertThat(start.epochMicros()).isEqualTo(Instant.parse("2026-12-06T22:00:00Z").getEpochSecond() * 1_000_000);
        }
    }

    @Test
    void withoutATagTheRecordingEndedWhenTheFileWasLastModified(@TempDir Path tmp) throws Exception {
        // vtest.avi (AVI written by MEncoder) has no creation_time; 795 frames at 10 frames/s
        Path avi = Files.copy(TestAssets.vtest(), tmp.resolve("copy.avi"), StandardCopyOption.REPLACE_EXISTING);
        Instant end = Instant.parse("2026-12-07T06:00:00Z");
        Files.setLastModifiedTime(avi, FileTime.from(end));
        try (FrameSource s = Sources.open(avi.toString(), false)) {
            RecordingStart start = RecordingStart.of(s, avi.toString()).orElseThrow();
            assertThat(start.origin()).isEqualTo(RecordingStart.MODIFIED);
            // the container's duration: 79.5 s, to within a frame
            assertThat(end.toEpochMilli() - start.at().toEpochMilli()).isBetween(79_400L, 79_600L);
        }
    }

    @Test
    void aFolderOfPhotosHasNone(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(TestAssets.file("images/text/licenseplate_motion.jpg"), dir.resolve("a.jpg"));
        try (FrameSource s = Sources.open(dir.toString(), false)) {
            assertThat(RecordingStart.of(s, dir.toString())).isEmpty();
        }
    }

    private static void ffmpeg(Path dir, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "ffmpeg";
        cmd[1] = "-v";
        cmd[2] = "error";
        cmd[3] = "-y";
        System.arraycopy(args, 0, cmd, 4, args.length);
        Path log = dir.resolve("ffmpeg.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(log));
        }
    }
}
