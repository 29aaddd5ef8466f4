package io.argus.agent.image;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.argus.agent.task.WorkerLocal;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import io.argus.task.api.TaskException;
import io.argus.task.image.ImageHeader;
import io.argus.task.image.ImageLimits;
import io.argus.task.image.JpegScans;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Turns an {@link Image} from the wire into a BGR {@link Mat}, refusing anything unsafe first.
 * JPEGs are decoded by FFmpeg ({@link FfmpegJpegDecoder}, 2.5x faster), except those whose Exif
 * orientation asks for a turn or a mirror, which only OpenCV applies, and those FFmpeg cannot read;
 * PNGs by OpenCV.
 * Checks:
 * <ul>
 *   <li>encoded images: the size is read from the JPEG/PNG header and checked against the limits
 *       before OpenCV allocates anything ({@code TOO_LARGE}); zero sizes are {@code BAD_REQUEST};
 *       bytes that are not a JPEG or PNG, or that fail to decode, are {@code IMAGE_DECODE_FAILED};</li>
 *   <li>raw BGR: width and height are required and the byte count must be exactly w*h*3;</li>
 *   <li>non-zero width/height hints must match the image ({@code BAD_REQUEST}).</li>
 * </ul>
 * The caller owns the returned Mat and must give it back with {@link #release(Mat)}, which keeps
 * a count of decoded frames still alive (metric {@code argus.agent.frames.live}): the fuzz test
 * checks that it returns to zero.
 */
public final class ImageDecoder implements AutoCloseable {
    private final AtomicLong live = new AtomicLong();
    private final ImageLimits limits;
    /** FFmpeg's JPEG decoder, one per worker thread (codec contexts are not thread-safe). */
    private final WorkerLocal<FfmpegJpegDecoder> jpegDecoders =
            new WorkerLocal<>(FfmpegJpegDecoder::new, FfmpegJpegDecoder::close);

    private final AtomicLong byFfmpeg = new AtomicLong();
    /**
     * {@code -Dargus.jpeg.decoder=opencv} decodes every JPEG with OpenCV: the way back if FFmpeg's
     * decoder ever misreads a camera's files, and the baseline of BENCHMARKS.md's profile.
     */
    static final boolean FFMPEG_JPEG = !"opencv".equals(System.getProperty("argus.jpeg.decoder", "ffmpeg"));

    /** JPEGs decoded by FFmpeg (the others went to OpenCV): for the metrics and the tests. */
    public long decodedByFfmpeg() {
        return byFfmpeg.get();
    }

    /** Frames decoded by this decoder and not yet released. */
    public long liveFrames() {
        return live.get();
    }

    /** Counts a frame decoded elsewhere ({@link FileFrameReader}) as this decoder's: released with {@link #release}. */
    public Mat adopt(Mat frame) {
        live.incrementAndGet();
        return frame;
    }

    /** Releases a frame returned by {@link #decode}. */
    public void release(Mat frame) {
        frame.release();
        live.decrementAndGet();
    }

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /** Frees the per-thread JPEG decoders (at shutdown, once no thread decodes any more). */
    @Override
    public void close() {
        jpegDecoders.close();
    }

    public Mat decode(Image image) throws TaskException {
        Mat m = decodeUncounted(image);
        live.incrementAndGet();
        return m;
    }

    private Mat decodeUncounted(Image image) throws TaskException {
        ByteString data = image.getData();
        if (data.isEmpty()) {
            throw new TaskException(Code.BAD_REQUEST, "image has no data");
        }
        if (image.getEncoding() == Encoding.RAW_BGR) {
            return decodeRaw(image, data);
        }
        ImageHeader header = ImageHeader.probe(data);
        if (header == null) {
            throw new TaskException(Code.IMAGE_DECODE_FAILED,
                    "not a JPEG or PNG with a readable header (" + data.size() + " bytes)");
        }
        if ((image.getEncoding() == Encoding.JPEG && !header.format().equals("jpeg"))
                || (image.getEncoding() == Encoding.PNG && !header.format().equals("png"))) {
            throw new TaskException(Code.BAD_REQUEST,
                    "declared " + image.getEncoding() + " but the data is " + header.format());
        }
        checkSize(header.width(), header.height());
        checkHints(image, header.width(), header.height());
        if (header.format().equals("jpeg")) {
            int scans = JpegScans.count(data, JpegScans.DEFAULT_MAX_SCANS + 1);
            if (scans > JpegScans.DEFAULT_MAX_SCANS) {
                throw new TaskException(Code.TOO_LARGE, "JPEG with more than " + JpegScans.DEFAULT_MAX_SCANS
                        + " scans (JpegScans.DEFAULT_MAX_SCANS); each scan is a full decoding pass");
            }
        }
        // only a rotating or mirroring Exif orientation needs OpenCV, which applies it
        boolean exif = header.format().equals("jpeg") && ImageHeader.exifOrientation(data) != 1;
        if (header.format().equals("jpeg") && !exif && FFMPEG_JPEG) {
            Mat fast = jpegDecoders.get().decode(data, header.width(), header.height());
            if (fast != null) {
                byFfmpeg.incrementAndGet();
                return fast;
            }
            // FFmpeg refused it: OpenCV reads a few JPEG flavours FFmpeg does not, and says "corrupt" otherwise
        }
        Mat decoded;
        Mat buf = encodedMat(data);
        try {
            decoded = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        } finally {
            buf.release();
        }
        if (decoded.empty()) {
            decoded.release();
            throw new TaskException(Code.IMAGE_DECODE_FAILED, "corrupt " + header.format() + " data");
        }
        // OpenCV turns an image as its Exif orientation asks, which may swap its sides
        boolean turned = exif && decoded.cols() == header.height() && decoded.rows() == header.width();
        if (!turned && (decoded.cols() != header.width() || decoded.rows() != header.height())) {
            int w = decoded.cols();
            int h = decoded.rows();
            decoded.release();
            throw new TaskException(Code.IMAGE_DECODE_FAILED,
                    "decoded " + w + "x" + h + " but the header says " + header.width() + "x" + header.height());
        }
        return decoded;
    }

    /**
     * The encoded bytes as a 1xN Mat for {@code imdecode}, copied once into OpenCV's memory from
     * wherever they are: for a frame aliased by the agent's decoder, the network buffer itself.
     */
    private static Mat encodedMat(ByteString data) {
        Mat m = new Mat(1, data.size(), CvType.CV_8UC1);
        copyInto(data, m);
        return m;
    }

    private Mat decodeRaw(Image image, ByteString data) throws TaskException {
        int w = image.getWidth();
        int h = image.getHeight();
        checkSize(w, h);
        long expected = (long) w * h * 3;
        if (data.size() != expected) {
            throw new TaskException(Code.BAD_REQUEST,
                    "raw BGR " + w + "x" + h + " needs " + expected + " bytes, got " + data.size());
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        copyInto(data, m);
        return m;
    }

    /**
     * Copies {@code data} into the continuous Mat {@code m} (of exactly that many bytes) straight
     * from the array or buffer that holds it, without {@link ByteString#toByteArray()}'s copy.
     */
    private static void copyInto(ByteString data, Mat m) {
        int[] written = {0};
        try {
            UnsafeByteOperations.unsafeWriteTo(data, new ByteOutput() {
                @Override
                public void write(byte value) {
                    put(new byte[]{value}, 0, 1);
                }

                @Override
                public void write(byte[] value, int offset, int length) {
                    put(value, offset, length);
                }

                @Override
                public void writeLazy(byte[] value, int offset, int length) {
                    put(value, offset, length);
                }

                @Override
                public void write(ByteBuffer value) {
                    byte[] copy = new byte[value.remaining()];
                    value.duplicate().get(copy);
                    put(copy, 0, copy.length);
                }

                @Override
                public void writeLazy(ByteBuffer value) {
                    write(value);
                }

                private void put(byte[] value, int offset, int length) {
                    // Mat.put indexes by element; a continuous 8-bit Mat seen as one row of bytes
                    Mat row = m.reshape(1, 1);
                    try {
                        row.put(0, written[0], value, offset, length);
                    } finally {
                        row.release();
                    }
                    written[0] += length;
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("copying image bytes", e); // not thrown by the output above
        }
    }

    public void checkSize(long w, long h) throws TaskException {
        if (w <= 0 || h <= 0) {
            throw new TaskException(Code.BAD_REQUEST, "image size " + w + "x" + h + " is empty");
        }
        if (w > limits.maxDimension() || h > limits.maxDimension() || w * h > limits.maxPixels()) {
            throw new TaskException(Code.TOO_LARGE, "image " + w + "x" + h + " exceeds the limit of "
                    + limits.maxPixels() + " pixels / " + limits.maxDimension() + " per side");
        }
    }

    private static void checkHints(Image image, int w, int h) throws TaskException {
        if ((image.getWidth() != 0 && image.getWidth() != w) || (image.getHeight() != 0 && image.getHeight() != h)) {
            throw new TaskException(Code.BAD_REQUEST, "declared " + image.getWidth() + "x" + image.getHeight()
                    + " but the image is " + w + "x" + h);
        }
    }
}
