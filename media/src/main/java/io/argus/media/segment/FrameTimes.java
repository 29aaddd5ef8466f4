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
}
