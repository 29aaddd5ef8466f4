package io.argus.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's assets folder from the working directory or {@code -Dargus.assets}. */
final class BenchAssets {
    private BenchAssets() {
    }

    static Path root() {
        String p = System.getProperty("argus.assets");
        for (Path c : new Path[]{p == null ? null : Path.of(p), Path.of("assets"), Path.of("../assets")}) {
            if (c != null && Files.isDirectory(c)) {
                return c.toAbsolutePath();
            }
        }
        throw new IllegalStateException("run from the repository root or pass -Dargus.assets=DIR");
    }
}
