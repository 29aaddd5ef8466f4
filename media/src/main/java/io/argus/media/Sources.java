package io.argus.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a source from its command-line spelling:
 * <ul>
 *   <li>{@code camera:N}: V4L2 device /dev/videoN;</li>
 *   <li>{@code rtsp://...}, {@code http(s)://...}: a network stream;</li>
 *   <li>a directory: its images in name order;</li>
 *   <li>anything else: a video file.</li>
 * </ul>
 */
public final class Sources {
    private Sources() {
    }

    /**
     * Opens {@code spec}. A source that cannot be opened is a {@link SourceUnavailableException}
     * saying what is wrong and what to check; a missing or unreadable local path is refused before
     * any native library is loaded, so that answer takes milliseconds.
     */
    public static FrameSource open(String spec, boolean loop) throws IOException {
        if (spec.startsWith("camera:")) {
            int index;
            try {
                index = Integer.parseInt(spec.substring(7));
            } catch (NumberFormatException e) {
                throw new SourceUnavailableException(SourceUnavailableException.Reason.MALFORMED, spec,
                        "camera index must be a number: " + spec);
            }
            return FfmpegSource.camera(index);
        }
        if (isUrl(spec)) {
            return FfmpegSource.network(spec);
        }
        Path p = checkLocal(spec);
        if (Files.isDirectory(p)) {
            return new ImageFolderSource(p, loop);
        }
        if (ImageFolderSource.isImage(p)) {
            return ImageFolderSource.single(p, loop); // a photo, not a one-frame video: its frame is a still
        }
        return FfmpegSource.file(spec, loop);
    }

    /** A network source: {@code scheme://...}. */
    public static boolean isUrl(String spec) {
        return spec.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    /**
     * Checks that a local file or folder exists and can be read, without opening it as video (no
     * native library is loaded).
     *
     * @return its path
     */
    public static Path checkLocal(String spec) throws SourceUnavailableException {
        Path p;
        try {
            p = Path.of(spec);
        } catch (java.nio.file.InvalidPathException e) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.MALFORMED, spec,
                    "not a valid path: " + spec);
        }
        if (!Files.exists(p)) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_FOUND, spec,
                    "no such file or folder: " + spec);
        }
        if (!Files.isReadable(p) || (Files.isDirectory(p) && !Files.isExecutable(p))) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_READABLE, spec,
                    "permission denied: " + spec);
        }
        if (!Files.isDirectory(p) && !Files.isRegularFile(p)) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_VIDEO, spec,
                    "not a regular file or folder: " + spec);
        }
        return p;
    }

    /** A stream name derived from a source: its file name without extension, made ZooKeeper-safe. */
    public static String defaultStreamName(String spec) {
        String base = spec;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        if (spec.contains("://")) {
            base = spec.replaceFirst("^[a-z]+://", "");
        } else if (slash >= 0 && slash < base.length() - 1) {
            base = base.substring(slash + 1);
        }
        int dot = base.lastIndexOf('.');
        if (dot > 0 && !spec.contains("://")) {
            base = base.substring(0, dot);
        }
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("-+", "-");
        if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
            safe = "stream";
        }
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }
}
