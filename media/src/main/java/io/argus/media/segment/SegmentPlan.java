package io.argus.media.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * How a file is cut into {@link Segment}s.
 *
 * <p>The rule: the target length is {@code segmentSeconds}, shortened to the file's length divided
 * by {@code workers} when that is shorter (so that every worker has a segment). For each multiple
 * {@code k} of the target inside the file (k ≥ 1) the keyframe nearest to it (the earlier on a
 * tie) starts a segment, unless it does not come after the previous start (keyframes sparser than
 * the target: segments are then as long as the keyframes allow). Each segment ends where the next
 * starts, the last at the end of the file. Its warm-up starts {@code warmUpSeconds} before its
 * start (at frame 0 at the earliest), and it is decoded from the keyframe at or before that.
 */
public final class SegmentPlan {
    private SegmentPlan() {
    }

    public static List<Segment> plan(KeyframeIndex index, SegmentConfig cfg, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        double fps = index.frameRate();
        long total = index.frames();
        double target = Math.min(cfg.segmentSeconds() * fps, (double) total / workers);
        long warmUp = Math.round(cfg.warmUpSeconds() * fps);
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        for (int k = 1; k * target < total; k++) {
            long nearest = nearest(index.keyframes(), Math.round(k * target));
            if (nearest > starts.get(starts.size() - 1) && nearest < total) {
                starts.add(nearest);
            }
        }
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            long start = starts.get(i);
            long end = i + 1 < starts.size() ? starts.get(i + 1) : total;
            long warm = Math.max(0, start - warmUp);
            out.add(new Segment(i, index.keyframeAtOrBefore(warm), warm, start, end));
        }
        return out;
    }

    /** The keyframe nearest to {@code frame}, the earlier on a tie. */
    private static long nearest(List<Long> keyframes, long frame) {
        long best = keyframes.get(0);
        for (long k : keyframes) {
            if (Math.abs(k - frame) < Math.abs(best - frame)) {
                best = k;
            }
        }
        return best;
    }
}
