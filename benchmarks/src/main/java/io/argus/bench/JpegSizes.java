package io.argus.bench;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Prints what each codec of {@link JpegCodecsBenchmark} makes of the benchmark frame: the size
 * of the JPEG and its PSNR against the original (after a decode with OpenCV), so that the speed
 * comparison is between files of like size and quality.
 */
public final class JpegSizes {
    public static void main(String[] args) throws Exception {
        JpegCodecsBenchmark b = new JpegCodecsBenchmark();
        b.setUp();
        try {
            report("opencv q" + JpegCodecsBenchmark.QUALITY, b, b.encodeOpencv());
            report("turbo (leptonica) q" + JpegCodecsBenchmark.QUALITY, b, b.encodeTurbo());
            report("imageio q" + JpegCodecsBenchmark.QUALITY, b, b.encodeImageio());
            report("ffmpeg mjpeg qscale " + JpegCodecsBenchmark.FFMPEG_QSCALE, b, b.encodeFfmpegMjpeg());
        } finally {
            b.tearDown();
        }
    }

    private static void report(String name, JpegCodecsBenchmark b, byte[] jpeg) {
        Mat original = new Mat(b.height, b.width, CvType.CV_8UC3);
        original.put(0, 0, b.bgr);
        Mat buf = new MatOfByte(jpeg);
        Mat decoded = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        System.out.printf("%-28s %7d bytes  PSNR %.2f dB%n", name, jpeg.length, Core.PSNR(original, decoded));
        original.release();
        buf.release();
        decoded.release();
    }
}
