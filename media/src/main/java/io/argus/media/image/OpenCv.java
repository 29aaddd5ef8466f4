package io.argus.media.image;

import nu.pattern.OpenCV;
import org.opencv.core.Core;

/**
 * Loads openpnp's OpenCV natives once per process. {@code loadLocally} extracts the library to
 * {@code java.io.tmpdir} (about 0.4 s); {@code loadShared} does not work on Java 12+.
 */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (OpenCv.class) {
            if (!loaded) {
                OpenCV.loadLocally();
                loaded = true;
            }
        }
    }

    /**
     * OpenCV's own thread pool is process-wide. Agents parallelise across frames with their worker
     * pool, so each OpenCV call should use one thread: nested parallelism on two cores only adds
     * contention.
     */
    public static void setThreads(int n) {
        load();
        Core.setNumThreads(n);
    }
}
