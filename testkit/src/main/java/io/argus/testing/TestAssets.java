package io.argus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's {@code assets/} folder (set by surefire as {@code argus.assets}). */
public final class TestAssets {
    private TestAssets() {
    }

    public static Path root() {
        String p = System.getProperty("argus.assets");
        Path dir = p != null ? Path.of(p) : Path.of("..", "assets");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("assets folder not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    public static Path file(String relative) {
        Path f = root().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("missing asset " + f.toAbsolutePath());
        }
        return f;
    }

    public static Path vtest() {
        return file("video/vtest.avi");
    }

    /** The sample clip as a managed stream's source: its real, absolute path. */
    public static String vtestSource() {
        try {
            return vtest().toRealPath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
