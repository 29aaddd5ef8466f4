package io.argus.coordinator.streams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks a managed stream's local file or folder when the stream is added, where the coordinator
 * can: only when the media root that allows it exists on the coordinator's own machine (the same
 * machine as the agents, or a shared mount). A file is read on the agent's machine, so when the
 * root is not here the coordinator cannot tell a missing file from one it cannot see, and accepts
 * it; the agent then reports the stream's state. No FFmpeg here (the coordinator carries no native
 * library): whether the file is video is the agent's to find out.
 */
final class LocalSourceCheck {
    /** Bytes read from a file to show that it can be read. */
    private static final int PROBE_BYTES = 1;

    private LocalSourceCheck() {
    }

    /** A refusal: its error code and a message saying what to check. */
    record Problem(String code, String message) {
    }

    /**
     * Why {@code source} (under {@code root}) cannot be opened, or empty when it looks fine or cannot
     * be checked here.
     */
    static Optional<Problem> check(String source, Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty(); // the media live on the agents' machines only: nothing to check here
        }
        Path p = Path.of(source);
        if (!Files.exists(p)) {
            return Optional.of(new Problem("SOURCE_NOT_FOUND", "no such file or folder: " + source
                    + "; check that the path exists (the media root " + root + " is on this coordinator's machine "
                    + "and does not have it)"));
        }
        if (Files.isDirectory(p)) {
            return Files.isReadable(p) && Files.isExecutable(p) ? Optional.empty()
                    : Optional.of(unreadable(source));
        }
        if (!Files.isRegularFile(p)) {
            return Optional.of(new Problem("SOURCE_NOT_VIDEO", "not a regular file or folder: " + source
                    + "; check that it is a video file FFmpeg can open or a folder of JPEG, PNG or BMP images"));
        }
        try (InputStream in = Files.newInputStream(p)) {
            if (in.readNBytes(PROBE_BYTES).length == 0) {
                return Optional.of(new Problem("SOURCE_NOT_VIDEO", "the file is empty: " + source
                        + "; check that it is a video file FFmpeg can open"));
            }
        } catch (IOException | SecurityException e) {
            return Optional.of(unreadable(source));
        }
        return Optional.empty();
    }

    private static Problem unreadable(String source) {
        return new Problem("SOURCE_UNREADABLE", "cannot read " + source
                + "; check that it is readable by the user running Argus");
    }
}
