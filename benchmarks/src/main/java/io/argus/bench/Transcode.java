package io.argus.bench;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Rescales a clip for benchmarks that need a given frame size (FFmpeg through JavaCV; MJPEG in
 * AVI, the frame rate of the input).
 *
 * <p>Usage: {@code java -cp ... io.argus.bench.Transcode IN OUT WIDTH HEIGHT}.
 */
public final class Transcode {
    private Transcode() {
    }

    public static void main(String[] args) throws Exception {
        int w = Integer.parseInt(args[2]);
        int h = Integer.parseInt(args[3]);
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(args[0])) {
            in.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(args[1], w, h, 0)) {
                out.setFormat("avi");
                out.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
                out.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
                out.setVideoQuality(3);
                out.setFrameRate(in.getFrameRate());
                out.start();
                int n = 0;
                for (Frame f; (f = in.grabImage()) != null; n++) {
                    out.record(f);
                }
                out.stop();
                System.out.printf("%s: %d frames of %dx%d at %.1f fps%n", args[1], n, w, h, in.getFrameRate());
            }
        }
    }
}
