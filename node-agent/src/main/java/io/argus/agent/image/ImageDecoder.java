package io.argus.agent.image;

import io.argus.agent.task.TaskException;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Turns an {@link Image} from the wire into a BGR {@link Mat}, refusing anything unsafe first:
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
public final class ImageDecoder {
    private final java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();
    private final ImageLimits limits;

    /** Frames decoded by this decoder and not yet released. */
    public long liveFrames() {
        return live.get();
    }

    /** Releases a frame returned by {@link #decode}. */
    public void release(Mat frame) {
        frame.release();
        live.decrementAndGet();
    }

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public Mat decode(Image image) throws TaskException {
        Mat m = decodeUncounted(image);
        live.incrementAndGet();
        return m;
    }

    private Mat decodeUncounted(Image image) throws TaskException {
        byte[] data = image.getData().toByteArray();
        if (data.length == 0) {
            throw new TaskException(Code.BAD_REQUEST, "image has no data");
        }
        if (image.getEncoding() == Encoding.RAW_BGR) {
            return decodeRaw(image, data);
        }
        ImageHeader header = ImageHeader.probe(data);
        if (header == null) {
            throw new TaskException(Code.IMAGE_DECODE_FAILED,
                    "not a JPEG or PNG with a readable header (" + data.length + " bytes)");
        }
        if (image.getEncoding() == Encoding.JPEG && !header.format().equals("jpeg")
                || image.getEncoding() == Encoding.PNG && !header.format().equals("png")) {
            throw new TaskException(Code.BAD_REQUEST,
                    "declared " + image.getEncoding() + " but the data is " + header.format());
        }
        checkSize(header.width(), header.height());
        checkHints(image, header.width(), header.height());
        Mat decoded;
        MatOfByte buf = new MatOfByte(data);
        try {
            decoded = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        } finally {
            buf.release();
        }
        if (decoded.empty()) {
            decoded.release();
            throw new TaskException(Code.IMAGE_DECODE_FAILED, "corrupt " + header.format() + " data");
        }
        if (decoded.cols() != header.width() || decoded.rows() != header.height()) {
            int w = decoded.cols();
            int h = decoded.rows();
            decoded.release();
            throw new TaskException(Code.IMAGE_DECODE_FAILED,
                    "decoded " + w + "x" + h + " but the header says " + header.width() + "x" + header.height());
        }
        return decoded;
    }

    private Mat decodeRaw(Image image, byte[] data) throws TaskException {
        int w = image.getWidth();
        int h = image.getHeight();
        checkSize(w, h);
        long expected = (long) w * h * 3;
        if (data.length != expected) {
            throw new TaskException(Code.BAD_REQUEST,
                    "raw BGR " + w + "x" + h + " needs " + expected + " bytes, got " + data.length);
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, data);
        return m;
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
