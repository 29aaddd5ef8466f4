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

    public static FrameSource open(String spec, boolean loop) throws IOException {
        if (spec.startsWith("camera:")) {
            try {
                return FfmpegSource.camera(Integer.parseInt(spec.substring(7)));
            } catch (NumberFormatException e) {
                throw new IOException("camera index must be a number: " + spec);
            }
        }
        if (spec.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return FfmpegSource.network(spec);
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            return new ImageFolderSource(p, loop);
        }
        if (!Files.isRegularFile(p)) {
            throw new IOException("no such file: " + spec);
        }
        return FfmpegSource.file(spec, loop);
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
