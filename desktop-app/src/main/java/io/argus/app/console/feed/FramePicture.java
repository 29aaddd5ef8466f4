package io.argus.app.console.feed;

import java.util.List;

/**
 * One frame ready for the screen: premultiplied ARGB pixels (converted off the JavaFX thread) and
 * the overlays that belong to it. Immutable once published.
 *
 * @param width     pixels
 * @param height    pixels
 * @param argb      width*height pixels, row-major
 * @param shapes    overlays in frame coordinates
 * @param index     frame index in the source
 * @param captureUs capture time
 */
public record FramePicture(int width, int height, int[] argb, List<Shape> shapes, long index, long captureUs) {

    /** Packed BGR24 to opaque ARGB (opaque pixels need no premultiplication). */
    public static int[] argb(byte[] bgr, int width, int height) {
        int[] out = new int[width * height];
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            out[i] = 0xff000000 | ((bgr[j + 2] & 0xff) << 16) | ((bgr[j + 1] & 0xff) << 8) | (bgr[j] & 0xff);
        }
        return out;
    }
}
