package io.argus.task.api;

import java.util.Map;

/**
 * Parameters of the {@code faces} task (Haar cascade).
 *
 * @param scaleFactor  pyramid step, 1.01-2, default {@link #DEFAULT_SCALE_FACTOR}
 * @param minNeighbors overlapping hits a face needs, 1-20, default {@link #DEFAULT_MIN_NEIGHBORS}
 * @param minSize      smallest face as a fraction of the frame's shorter side, 0.01-1, default
 *                     {@link #DEFAULT_MIN_SIZE}
 */
public record FaceParams(double scaleFactor, int minNeighbors, double minSize) {
    public static final double DEFAULT_SCALE_FACTOR = 1.1;
    public static final int DEFAULT_MIN_NEIGHBORS = 5;
    public static final double DEFAULT_MIN_SIZE = 0.05;

    public static FaceParams parse(Map<String, String> p) throws TaskException {
        return new FaceParams(Params.doubleParam(p, "scaleFactor", DEFAULT_SCALE_FACTOR, 1.01, 2),
                Params.intParam(p, "minNeighbors", DEFAULT_MIN_NEIGHBORS, 1, 20),
                Params.doubleParam(p, "minSize", DEFAULT_MIN_SIZE, 0.01, 1));
    }
}
