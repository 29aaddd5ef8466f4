package io.argus.client;

import com.google.protobuf.UnsafeByteOperations;
import io.argus.media.image.OpenCv;
import io.argus.media.image.TurboJpeg;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Encodes decoded frames for the wire: JPEG at a chosen quality (default 85: visually clean,
 * about 60 KB for 768x576) with libjpeg-turbo ({@code TurboJpeg}; see BENCHMARKS.md for the
 * encoders compared), PNG, or raw BGR where bandwidth is cheaper than encoding (loopback). Frames
 * read from JPEG files go out as those files are, when JPEG is asked for.
 */
public final class FrameEncoder {
    private static final TurboJpeg TURBO = new TurboJpeg();
    /** {@code -Dargus.jpeg.encoder=opencv} encodes with OpenCV instead (the profile's baseline). */
    private static final boolean TURBO_JPEG = !"opencv".equals(System.getProperty("argus.jpeg.encoder", "turbo"));
    private final Encoding encoding;
    private final int quality;

    public FrameEncoder(Encoding encoding, int quality) {
        if (encoding != Encoding.JPEG && encoding != Encoding.RAW_BGR && encoding != Encoding.PNG) {
            throw new IllegalArgumentException("encoding must be JPEG, PNG or RAW_BGR");
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100: " + quality);
        }
        this.encoding = encoding;
        this.quality = quality;
        OpenCv.load();
    }

    public static FrameEncoder jpeg(int quality) {
        return new FrameEncoder(Encoding.JPEG, quality);
    }

    public Encoding encoding() {
        return encoding;
    }

    public Image encode(VideoFrame f) {
        Image.Builder img = Image.newBuilder().setEncoding(encoding).setWidth(f.width()).setHeight(f.height());
        if (encoding == Encoding.JPEG && f.jpeg() != null) {
            // a JPEG file sent as it is: decoding and re-encoding it would cost the client ~15 ms
            // for a 1280x960 photo and a second generation of loss (the quality setting is for
            // frames the client has to encode)
            return img.setData(UnsafeByteOperations.unsafeWrap(f.jpeg())).build();
        }
        if (encoding == Encoding.RAW_BGR) {
            // the frame's array is not touched again after this point, so it can back the ByteString
            return img.setData(UnsafeByteOperations.unsafeWrap(f.bgr())).build();
        }
        Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
        try {
            m.put(0, 0, f.bgr());
            if (encoding == Encoding.JPEG && TURBO_JPEG) {
                // libjpeg-turbo's SIMD encoder: 2.6x faster than OpenCV's, byte for byte the same file
                return img.setData(UnsafeByteOperations.unsafeWrap(TURBO.encode(m, quality))).build();
            }
            MatOfByte out = new MatOfByte();
            MatOfInt params = encoding == Encoding.JPEG ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality)
                    : new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 1);
            try {
                Imgcodecs.imencode(encoding == Encoding.JPEG ? ".jpg" : ".png", m, out, params);
                return img.setData(UnsafeByteOperations.unsafeWrap(out.toArray())).build();
            } finally {
                out.release();
                params.release();
            }
        } finally {
            m.release();
        }
    }
}
