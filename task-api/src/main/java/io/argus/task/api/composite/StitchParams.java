package io.argus.task.api.composite;

import io.argus.protocol.Names;
import io.argus.task.api.Params;
import io.argus.task.api.TaskException;

import java.util.Map;

/**
 * Parameters of the {@code stitch} task (a panorama of two overlapping fixed cameras).
 *
 * @param camera    this frame's camera, required: 1-128 of [A-Za-z0-9._-]
 * @param reference the camera kept as is (default empty: the first camera seen)
 * @param quality   JPEG quality, 1-100, default {@link #DEFAULT_QUALITY}
 * @param recheckMs period of the cheap check of the cached homography, 0 (never) to 24 h, default
 *                  {@link #DEFAULT_RECHECK_MS}
 * @param driftPx   disagreement that triggers a new estimate, 0.5-100 pixels, default {@link #DEFAULT_DRIFT_PX}
 * @param maxCanvas largest side of the output, 256-8192, default {@link #DEFAULT_MAX_CANVAS}
 */
public record StitchParams(String camera, String reference, int quality, long recheckMs, double driftPx,
                           int maxCanvas) {
    public static final int DEFAULT_QUALITY = 85;
    public static final long DEFAULT_RECHECK_MS = 10_000;
    public static final double DEFAULT_DRIFT_PX = 3;
    public static final int DEFAULT_MAX_CANVAS = 4096;

    public static StitchParams parse(Map<String, String> p) throws TaskException {
        String camera = p.getOrDefault("camera", "");
        if (!Names.isValid(camera)) {
            throw Params.bad("camera", camera, "the camera's name, 1-128 of [A-Za-z0-9._-]");
        }
        String ref = p.getOrDefault("reference", "");
        if (!ref.isEmpty() && !Names.isValid(ref)) {
            throw Params.bad("reference", ref, "a camera name");
        }
        return new StitchParams(camera, ref, Params.intParam(p, "quality", DEFAULT_QUALITY, 1, 100),
                (long) Params.doubleParam(p, "recheckMs", DEFAULT_RECHECK_MS, 0, 86_400_000),
                Params.doubleParam(p, "driftPx", DEFAULT_DRIFT_PX, 0.5, 100),
                Params.intParam(p, "maxCanvas", DEFAULT_MAX_CANVAS, 256, 8192));
    }
}
