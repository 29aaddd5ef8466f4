package io.argus.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Longer footage than the bundled clip, made as an operator would: {@code vtest.avi} twice in a row,
 * joined by the {@code ffmpeg} command (concat demuxer, streams copied, so the second half's
 * keyframes and timestamps follow on from the first's).
 */
public final class LongerFootage {
    private LongerFootage() {
    }

    /** {@code dir/vtest-twice.avi}: 1,590 frames, 159 s. */
    public static Path vtestTwice(Path dir) throws IOException, InterruptedException {
        Path list = dir.resolve("list.txt");
        String entry = "file '" + TestAssets.vtest().toAbsolutePath() + "'\n";
        Files.writeString(list, entry + entry);
        Path out = dir.resolve("vtest-twice.avi");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list.toString(),
                "-c", "copy", out.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
        }
        return out;
    }
}
