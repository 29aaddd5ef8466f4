package io.argus.task.api;

import java.util.Map;

/**
 * Parameters of the {@code color} task (dominant colours by k-means).
 *
 * @param k      clusters, 1-16, default {@link #DEFAULT_K}
 * @param sample longest side of the shrunk frame that is clustered, 16-512 pixels, default
 *               {@link #DEFAULT_SAMPLE}: 4096 samples are plenty for a handful of clusters
 */
public record ColorParams(int k, int sample) {
    public static final int DEFAULT_K = 5;
    public static final int DEFAULT_SAMPLE = 64;

    public static ColorParams parse(Map<String, String> p) throws TaskException {
        return new ColorParams(Params.intParam(p, "k", DEFAULT_K, 1, 16),
                Params.intParam(p, "sample", DEFAULT_SAMPLE, 16, 512));
    }
}
