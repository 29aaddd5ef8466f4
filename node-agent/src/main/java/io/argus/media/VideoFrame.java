package io.argus.media;

/**
 * One decoded frame: packed BGR24 pixels, row-major, no padding.
 *
 * @param index       0-based index in the source
 * @param timestampUs presentation time in the source (microseconds), or capture time for live sources
 * @param width       pixels
 * @param height      pixels
 * @param bgr         width*height*3 bytes
 */
public record VideoFrame(long index, long timestampUs, int width, int height, byte[] bgr) {
}
