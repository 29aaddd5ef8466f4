package io.argus.media.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.leptonica.PIX;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteOrder;
import java.util.List;

import static org.bytedeco.leptonica.global.leptonica.lept_free;
import static org.bytedeco.leptonica.global.leptonica.pixCreate;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixGetData;
import static org.bytedeco.leptonica.global.leptonica.pixGetDepth;
import static org.bytedeco.leptonica.global.leptonica.pixGetHeight;
import static org.bytedeco.leptonica.global.leptonica.pixGetWidth;
import static org.bytedeco.leptonica.global.leptonica.pixGetWpl;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.pixWriteMemJpeg;

/**
 * JPEG through libjpeg-turbo with its SIMD paths, as linked into bytedeco's Leptonica natives
 * (which Argus already ships for Tesseract). openpnp's OpenCV is built against a libjpeg without
 * SIMD; BENCHMARKS.md compares the two, ImageIO and FFmpeg's MJPEG encoder on the same frame.
 *
 * <p>Leptonica keeps colour pixels as 32-bit words {@code R<<24 | G<<16 | B<<8 | A}, which on a
 * little-endian machine are the bytes A, B, G, R: one {@code mixChannels} pass moves OpenCV's
 * B, G, R bytes into and out of that layout. Instances hold no state and may be shared between
 * threads; every call works on a Pix of its own.
 */
public final class TurboJpeg {
    /** BGR channel i goes to Pix byte 1 + i (byte 0 is the unused alpha). */
    private static final int[] BGR_TO_PIX = {0, 1, 1, 2, 2, 3};
    private static final int[] PIX_TO_BGR = {1, 0, 2, 1, 3, 2};

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("TurboJpeg assumes a little-endian machine");
        }
    }

    /** Encodes a continuous 8-bit BGR Mat at {@code quality} (1-100). */
    public byte[] encode(Mat bgr, int quality) {
        if (bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit BGR image, got type " + bgr.type());
        }
        PIX pix = pixCreate(bgr.cols(), bgr.rows(), 32);
        if (pix == null) {
            throw new IllegalStateException("leptonica could not allocate " + bgr.cols() + "x" + bgr.rows());
        }
        try {
            Mat words = pixView(pix);
            try {
                mix(bgr, words, BGR_TO_PIX);
            } finally {
                words.release();
            }
            PointerPointer<BytePointer> out = new PointerPointer<>(1);
            SizeTPointer size = new SizeTPointer(1);
            try {
                if (pixWriteMemJpeg(out, size, pix, quality, 0) != 0) {
                    throw new IllegalStateException("libjpeg-turbo could not encode the frame");
                }
                BytePointer data = new BytePointer(out.get(0));
                try {
                    byte[] jpeg = new byte[(int) size.get()];
                    data.get(jpeg);
                    return jpeg;
                } finally {
                    lept_free(data);
                }
            } finally {
                out.close();
                size.close();
            }
        } finally {
            pixDestroy(pix);
        }
    }

    /**
     * Decodes JPEG bytes into a new BGR Mat, or returns null when libjpeg-turbo cannot read them.
     * Callers check the header's dimensions against their limits first.
     */
    public @Nullable Mat decode(BytePointer jpeg, long length) {
        PIX pix = pixReadMemJpeg(jpeg, length, 0, 1, null, 0);
        if (pix == null) {
            return null;
        }
        try {
            int depth = pixGetDepth(pix);
            Mat out = new Mat(pixGetHeight(pix), pixGetWidth(pix), CvType.CV_8UC3);
            if (depth == 32) {
                Mat words = pixView(pix);
                try {
                    mix(words, out, PIX_TO_BGR);
                } finally {
                    words.release();
                }
            } else if (depth == 8) {
                // a grayscale JPEG: 8-bit pixels, each 32-bit word holding four of them big-end first
                Mat gray = grayFromPix(pix);
                try {
                    Imgproc.cvtColor(gray, out, Imgproc.COLOR_GRAY2BGR);
                } finally {
                    gray.release();
                }
            } else {
                out.release();
                return null;
            }
            return out;
        } finally {
            pixDestroy(pix);
        }
    }

    /** The Pix's 32-bit pixels as an h x w CV_8UC4 Mat over the same memory (no copy). */
    private static Mat pixView(PIX pix) {
        int h = pixGetHeight(pix);
        int w = pixGetWidth(pix);
        long step = pixGetWpl(pix) * 4L;
        BytePointer data = new BytePointer(pixGetData(pix)).capacity(step * h);
        return new Mat(h, w, CvType.CV_8UC4, data.asByteBuffer(), step);
    }

    private static Mat grayFromPix(PIX pix) {
        int h = pixGetHeight(pix);
        int w = pixGetWidth(pix);
        long step = pixGetWpl(pix) * 4L;
        int padded = (int) step;
        BytePointer data = new BytePointer(pixGetData(pix)).capacity(step * h);
        Mat swapped = new Mat(h, padded / 4, CvType.CV_8UC4, data.asByteBuffer(), step);
        Mat bytes = new Mat(h, padded / 4, CvType.CV_8UC4);
        try {
            // within each word the first pixel is the most significant byte: reverse the four bytes
            mix(swapped, bytes, new int[]{0, 3, 1, 2, 2, 1, 3, 0});
            Mat asGray = bytes.reshape(1, h);
            try {
                return asGray.colRange(0, w).clone();
            } finally {
                asGray.release();
            }
        } finally {
            bytes.release();
            swapped.release();
        }
    }

    private static void mix(Mat src, Mat dst, int[] fromTo) {
        MatOfInt pairs = new MatOfInt(fromTo);
        try {
            Core.mixChannels(List.of(src), List.of(dst), pairs);
        } finally {
            pairs.release();
        }
    }
}
