package io.argus.app.console.model;

import io.argus.app.console.feed.FramePicture;

/**
 * A small copy of a stream's picture kept with an alert: at most {@link #MAX_WIDTH} pixels wide, so
 * that a thousand alerts do not hold a thousand full frames.
 *
 * @param width  pixels
 * @param height pixels
 * @param argb   opaque ARGB, row-major
 */
public record Thumbnail(int width, int height, int[] argb) {
    public static final int MAX_WIDTH = 160;

    /** Nearest-neighbour reduction (a few thousand pixels: cheap enough for the pulse that raises the alert). */
    public static Thumbnail of(FramePicture p) {
        int w = Math.min(MAX_WIDTH, p.width());
        int h = Math.max(1, (int) Math.round((double) p.height() * w / p.width()));
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(p.height() - 1, (int) ((long) y * p.height() / h));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(p.width() - 1, (int) ((long) x * p.width() / w));
                out[y * w + x] = p.argb()[sy * p.width() + sx];
            }
        }
        return new Thumbnail(w, h, out);
    }
}
