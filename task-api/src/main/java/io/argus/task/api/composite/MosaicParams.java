package io.argus.task.api.composite;

import io.argus.protocol.Names;
import io.argus.task.api.Params;
import io.argus.task.api.TaskException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parameters of the {@code mosaic} task (the server-side camera wall).
 *
 * @param tile    this frame's tile, required: 1-128 of [A-Za-z0-9._-]
 * @param layout  {@code grid} (default) or {@code 1+5}
 * @param pinned  tiles placed first (comma-separated); the first gets the large cell of 1+5
 * @param width   wall width, 160-3840, default {@link #DEFAULT_WIDTH}
 * @param height  wall height, 120-2160, default {@link #DEFAULT_HEIGHT}
 * @param quality JPEG quality, 1-100, default {@link #DEFAULT_QUALITY}
 * @param staleMs a tile not updated for this long of the wall's time is drawn greyed, 100 ms to 1 h,
 *                default {@link #DEFAULT_STALE_MS}
 * @param status  text for the tile's badge (default none)
 * @param every   compose on every n-th frame only, 1-1000, default {@link #DEFAULT_EVERY}
 */
public record MosaicParams(String tile, String layout, List<String> pinned, int width, int height, int quality,
                           long staleMs, String status, int every) {
    public static final String DEFAULT_LAYOUT = "grid";
    public static final int DEFAULT_WIDTH = 1920;
    public static final int DEFAULT_HEIGHT = 1080;
    public static final int DEFAULT_QUALITY = 80;
    public static final long DEFAULT_STALE_MS = 3000;
    public static final int DEFAULT_EVERY = 1;

    public static MosaicParams parse(Map<String, String> p) throws TaskException {
        String tile = p.getOrDefault("tile", "");
        if (!Names.isValid(tile)) {
            throw Params.bad("tile", tile, "the tile's name, 1-128 of [A-Za-z0-9._-]");
        }
        String layout = p.getOrDefault("layout", DEFAULT_LAYOUT);
        if (!layout.equals("grid") && !layout.equals("1+5")) {
            throw Params.bad("layout", layout, "grid or 1+5");
        }
        List<String> pinned = new ArrayList<>();
        for (String s : p.getOrDefault("pinned", "").split(",")) {
            if (!s.isBlank()) {
                pinned.add(s.strip());
            }
        }
        return new MosaicParams(tile, layout, pinned, Params.intParam(p, "width", DEFAULT_WIDTH, 160, 3840),
                Params.intParam(p, "height", DEFAULT_HEIGHT, 120, 2160),
                Params.intParam(p, "quality", DEFAULT_QUALITY, 1, 100),
                (long) Params.doubleParam(p, "staleMs", DEFAULT_STALE_MS, 100, 3_600_000), p.getOrDefault("status", ""),
                Params.intParam(p, "every", DEFAULT_EVERY, 1, 1000));
    }
}
