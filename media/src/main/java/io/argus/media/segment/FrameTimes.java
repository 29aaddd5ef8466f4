package io.argus.media.segment;

import java.io.IOException;
import java.util.Arrays;

/**
 * When each frame of a video file is shown, read from its packets without decoding a picture: the
 * times, in microseconds, that {@code FfmpegSource} gives the decoded frames (JavaCV's
 * {@code 1000000 * pts * time_base}, never below 0), in presentation order, so that {@code times[i]}
 * is frame {@code i}'s. What lets a run of several files ({@code mosaic}, {@code stitch}) know,
 * before decoding, in which order a serial run takes their frames, and so cut it into segments.
 *
 * <p>A 10-hour file at 30 frames/s holds 8.6 MB of times.
 */
public final class FrameTimes {
    private FrameTimes() {
    }

    /** The frames' presentation times of {@code path}'s best video stream, ascending. */
    public static long[] read(String path) throws IOException {
        VideoPackets p = VideoPackets.read(path);
        long[] us = new long[p.pts().length];
        for (int i = 0; i < us.length; i++) {
            us[i] = Math.max(0, 1_000_000L * p.pts()[i] * p.timeBaseNum() / p.timeBaseDen());
        }
        Arrays.sort(us); // packets come in decoding order
        return us;
    }

    /**
     * Refuses a file whose frames are not evenly spaced at its frame rate (within half a frame): a
     * segment seeks each file by frame number, which lands on the frame the plan means only then.
     *
     * @param times the file's frames' times ({@code FrameTimes})
     * @param fps   its nominal frame rate
     */
    public static void checkEvenlySpaced(String path, long[] times, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException(path + ": no frame rate; --parallel cuts recordings with one (run without --parallel)");
        }
        double step = 1e6 / fps;
        for (int f = 0; f < times.length; f++) {
            double off = times[f] - times[0] - f * step;
            if (Math.abs(off) > step / 2) {
                throw new IllegalArgumentException(path + ": frame " + f + " is shown at " + (times[f] - times[0]) / 1000 + " ms, not at "
                        + Math.round(f * step / 1000) + " ms as " + fps + " frames/s would put it (a variable frame rate); "
                        + "--parallel cuts files whose frames are evenly spaced (run without --parallel)");
            }
        }
    }

}
