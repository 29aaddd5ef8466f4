package io.argus.media.segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a video file's keyframes are, as frame numbers, read from its packets without decoding a
 * single picture: FFmpeg's demuxer reads each packet's header (flags, timestamp), which costs a
 * small fraction of decoding. A segment that starts at a keyframe can be decoded on its own, so
 * these are the places where a file can be cut ({@link SegmentPlan}).
 *
 * <p>Frame numbers are the packets' presentation times in frames of the stream's nominal rate,
 * counted from the first packet's: the numbering {@code FfmpegSource} gives the decoded frames.
 *
 * @param frames    video packets in the file (its frames)
 * @param frameRate nominal frames per second
 * @param keyframes frame numbers of the keyframes, ascending, the first one 0
 */
public record KeyframeIndex(long frames, double frameRate, List<Long> keyframes) {

    public KeyframeIndex {
        keyframes = List.copyOf(keyframes);
        if (frames <= 0 || keyframes.isEmpty() || keyframes.get(0) != 0) {
            throw new IllegalArgumentException("an index needs frames and a keyframe at frame 0: " + frames + ", " + keyframes);
        }
        if (!(frameRate > 0)) {
            throw new IllegalArgumentException("frame rate must be positive: " + frameRate);
        }
        for (int i = 1; i < keyframes.size(); i++) {
            if (keyframes.get(i) <= keyframes.get(i - 1)) {
                throw new IllegalArgumentException("keyframes must ascend: " + keyframes.get(i - 1) + " then " + keyframes.get(i));
            }
        }
    }

    /** Reads the index of {@code path}'s best video stream. */
    public static KeyframeIndex read(String path) throws IOException {
        VideoPackets p = VideoPackets.read(path);
        double fps = p.frameRate();
        double tb = p.timeBase();
        // packets come in decoding order; the first picture shown is the smallest timestamp
        long first = java.util.Arrays.stream(p.pts()).min().orElse(0);
        List<Long> keys = new ArrayList<>();
        for (long k : p.keyPts()) {
            long frame = Math.round((k - first) * tb * fps);
            if (keys.isEmpty() || frame > keys.get(keys.size() - 1)) {
                keys.add(frame);
            }
        }
        if (keys.isEmpty() || keys.get(0) != 0) {
            keys.add(0, 0L); // decoding starts at the file's beginning whatever its flags say
        }
        return new KeyframeIndex(p.pts().length, fps, keys);
    }

    /** The last keyframe at or before {@code frame} (0 for frames before the second keyframe). */
    public long keyframeAtOrBefore(long frame) {
        long best = 0;
        for (long k : keyframes) {
            if (k > frame) {
                break;
            }
            best = k;
        }
        return best;
    }
}
