package io.argus.task.api.composite;

import io.argus.task.api.Params;
import io.argus.task.api.TaskException;

import java.util.Map;

/**
 * Parameters of the {@code annotate} task (the frame with earlier overlays burned in, optionally
 * with an image composited onto it).
 *
 * @param quality        JPEG quality, 1-100, default {@link #DEFAULT_QUALITY}
 * @param maxWidth       wider frames are downscaled, 64-8192, default {@link #DEFAULT_MAX_WIDTH}
 * @param overlayScale   0.01-10, default 1
 * @param overlayOpacity 0-1, default 1
 * @param overlayX       left of the overlay, default 0
 * @param overlayY       top of the overlay, default 0
 * @param overlay        base64 PNG with alpha (default none), at most {@link #MAX_OVERLAY_CHARS}
 *                       characters: 4 MiB decoded. Its pixel size is checked against the frame
 *                       when it is decoded.
 */
public record AnnotateParams(int quality, int maxWidth, double overlayScale, double overlayOpacity, int overlayX,
                             int overlayY, String overlay) {
    public static final int DEFAULT_QUALITY = 85;
    public static final int DEFAULT_MAX_WIDTH = 1920;
    /** Base64 length of a 4 MiB overlay: a stream configuration is no place for a larger image. */
    public static final int MAX_OVERLAY_CHARS = 4 * 1024 * 1024 * 4 / 3 + 4;

    public static AnnotateParams parse(Map<String, String> p) throws TaskException {
        AnnotateParams a = new AnnotateParams(Params.intParam(p, "quality", DEFAULT_QUALITY, 1, 100),
                Params.intParam(p, "maxWidth", DEFAULT_MAX_WIDTH, 64, 8192),
                Params.doubleParam(p, "overlayScale", 1, 0.01, 10),
                Params.doubleParam(p, "overlayOpacity", 1, 0, 1),
                Params.intParam(p, "overlayX", 0, -100_000, 100_000),
                Params.intParam(p, "overlayY", 0, -100_000, 100_000),
                p.getOrDefault("overlay", ""));
        if (a.overlay.length() > MAX_OVERLAY_CHARS) {
            throw Params.bad("overlay", "(" + a.overlay.length() + " characters)", "a base64 PNG of at most 4 MiB");
        }
        return a;
    }
}
