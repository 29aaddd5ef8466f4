package io.argus.cli.bench;

import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Locale;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a load generator sends: the first 200 of the footage, scaled to the requested size and
 * decoded once, so that the load costs no decoding. Shared by {@code argus bench} and the gRPC
 * transport baseline ({@code io.argus.bench.GrpcBaseline}), which must send the same frames.
 */
public final class BenchFrames {
    private BenchFrames() {
    }

    /** Up to 200 frames of {@code source} at {@code size} (WxH); empty when the source has none. */
    public static List<VideoFrame> load(String source, String size) throws Exception {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        List<VideoFrame> out = new ArrayList<>();
        try (FrameSource src = Sources.open(source, false)) {
            VideoFrame f;
            while (out.size() < 200 && (f = src.next()) != null) {
                Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
                Mat scaled = new Mat();
                try {
                    m.put(0, 0, f.bgr());
                    Imgproc.resize(m, scaled, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
                    byte[] bgr = new byte[w * h * 3];
                    scaled.get(0, 0, bgr);
                    out.add(new VideoFrame(f.index(), f.timestampUs(), w, h, bgr));
                } finally {
                    m.release();
                    scaled.release();
                }
            }
        }
        return out;
    }
}
