package io.argus.app.console.feed;

import java.util.List;

/**
 * One frame ready for the screen: premultiplied ARGB pixels (converted off the JavaFX thread) and
 * the overlays to draw with it. Immutable once published.
 *
 * <p>The overlays carry the identity of the frame they were computed on ({@code overlayIndex},
 * {@code overlayCaptureUs}): in the lowest-latency mode the newest frame is shown with the newest
 * overlays, which belong to an older frame, and the view must be able to tell how much older (an
 * offline stream's last boxes must never be drawn as if they described a new picture).
 *
 * @param width            pixels
 * @param height           pixels
 * @param argb             width*height pixels, row-major
 * @param shapes           overlays in frame coordinates
 * @param index            frame index in the source
 * @param captureUs        capture time
 * @param overlayIndex     index of the frame the overlays were computed on ({@link #NO_OVERLAYS} when none)
 * @param overlayCaptureUs capture time of that frame
 */
public record FramePicture(int width, int height, int[] argb, List<Shape> shapes, long index, long captureUs,
                           long overlayIndex, long overlayCaptureUs) {
    /** The overlay index of a picture that has no result yet. */
    public static final long NO_OVERLAYS = -1;

    /** A frame with its own overlays (exact alignment). */
    public FramePicture(int width, int height, int[] argb, List<Shape> shapes, long index, long captureUs) {
        this(width, height, argb, shapes, index, captureUs, index, captureUs);
    }

    /** True if the overlays were computed on this very frame. */
    public boolean overlaysMatch() {
        return overlayIndex == index && overlayCaptureUs == captureUs;
    }

    /** Packed BGR24 to opaque ARGB (opaque pixels need no premultiplication). */
    public static int[] argb(byte[] bgr, int width, int height) {
        int[] out = new int[width * height];
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            out[i] = 0xff000000 | ((bgr[j + 2] & 0xff) << 16) | ((bgr[j + 1] & 0xff) << 8) | (bgr[j] & 0xff);
        }
        return out;
    }
}
