package io.argus.media;

import io.argus.media.image.OpenCv;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * One frame of a source: packed BGR24 pixels, row-major, no padding; and, for a source that
 * stores its frames as JPEG files, those files' bytes as they are.
 *
 * <p>A frame made from a JPEG ({@link #ofJpeg}) decodes its pixels only when {@link #bgr()} is
 * first asked for them: a client that sends the file as it is (FrameEncoder) never decodes it,
 * saves the decode and the re-encode, and sends the original's quality.
 */
public final class VideoFrame {
    private final long index;
    private final long timestampUs;
    private final int width;
    private final int height;
    private final byte @Nullable [] jpeg;
    private byte @Nullable [] bgr;

    /**
     * @param index       0-based index in the source
     * @param timestampUs presentation time in the source (microseconds), or capture time for live sources
     * @param width       pixels
     * @param height      pixels
     * @param bgr         width*height*3 bytes
     */
    public VideoFrame(long index, long timestampUs, int width, int height, byte[] bgr) {
        this(index, timestampUs, width, height, bgr, null);
    }

    private VideoFrame(long index, long timestampUs, int width, int height, byte @Nullable [] bgr, byte @Nullable [] jpeg) {
        this.index = index;
        this.timestampUs = timestampUs;
        this.width = width;
        this.height = height;
        this.bgr = bgr;
        this.jpeg = jpeg;
    }

    /**
     * A frame stored as a JPEG of {@code width x height} (read from its header; its Exif, if any,
     * must not ask for a rotation, or the decoded pixels would not have these sides).
     */
    public static VideoFrame ofJpeg(long index, long timestampUs, int width, int height, byte[] jpeg) {
        return new VideoFrame(index, timestampUs, width, height, null, jpeg);
    }

    public long index() {
        return index;
    }

    public long timestampUs() {
        return timestampUs;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The JPEG file this frame was read from, unchanged, or null when the source decoded it. */
    public byte @Nullable [] jpeg() {
        return jpeg;
    }

    /**
     * The pixels, decoded on first use for a frame read from a JPEG.
     *
     * @throws IllegalStateException when that JPEG does not decode to the size its header gave
     */
    public synchronized byte[] bgr() {
        if (bgr == null) {
            bgr = decode(jpeg, width, height);
        }
        return bgr;
    }

    private static byte[] decode(byte @Nullable [] jpeg, int width, int height) {
        OpenCv.load();
        MatOfByte in = new MatOfByte(jpeg);
        Mat m = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_COLOR);
        try {
            if (m.cols() != width || m.rows() != height) {
                throw new IllegalStateException("JPEG decoded to " + m.cols() + "x" + m.rows() + ", header said "
                        + width + "x" + height);
            }
            byte[] out = new byte[width * height * 3];
            m.get(0, 0, out);
            return out;
        } finally {
            m.release();
            in.release();
        }
    }

    @Override
    public String toString() {
        return "VideoFrame[" + index + ", " + width + "x" + height + (jpeg != null ? ", JPEG " + jpeg.length + " B" : "") + "]";
    }
}
