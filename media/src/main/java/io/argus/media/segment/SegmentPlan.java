package io.argus.media.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * How a file is cut into {@link Segment}s.
 *
 * <p>The rule: the file is cut into {@code n} segments of equal length, {@code n} the smallest
 * multiple of {@code workers} that keeps each at most {@code segmentSeconds} long (so every worker
 * has a segment, and equally fast workers finish together: a last short segment would leave the
 * others idle). For each multiple {@code k} of that length inside the file (k ≥ 1) the keyframe
 * nearest to it (the earlier on a tie) starts a segment, unless it does not come after the
 * previous start (keyframes sparser than the target: segments are then as long as the keyframes
 * allow). Each segment ends where the next starts, the last at the end of the file. Its warm-up
 * starts {@code warmUpSeconds} before its start (at frame 0 at the earliest), and it is decoded
 * from the keyframe at or before that.
 *
 * <p>Why as few segments as the workers need, not many short ones: every segment but the first
 * processes its warm-up again, and starts its tasks' learned state afresh (for {@code people}, the
 * perspective learned from tracks). Measured on a 10-minute file on 2 agents (BENCHMARKS.md,
 * "Fewer, equal segments"): 2 segments ran 1.65-1.72x the serial replay, 4 segments 1.48-1.56x,
 * 11 segments 1.36x.
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
        long perWorker = Math.max(1, (long) Math.ceil(total / (cfg.segmentSeconds() * fps * workers)));
        // at most one segment per frame; exactly n - 1 cuts, so that rounding never leaves a sliver
        // of a last segment ((total / n) * n can come out just under total in doubles)
        long n = Math.min(Math.max(1, total), perWorker * workers);
        long warmUp = Math.round(cfg.warmUpSeconds() * fps);
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        for (long k = 1; k < n; k++) {
            long nearest = nearest(index.keyframes(), Math.round((double) k * total / n));
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

    /** The keyframe nearest to {@code frame}, the earlier on a tie (keyframes ascending: a binary search). */
    private static long nearest(List<Long> keyframes, long frame) {
        int i = java.util.Collections.binarySearch(keyframes, frame);
        if (i >= 0) {
            return keyframes.get(i);
        }
        int after = -i - 1;
        if (after == 0) {
            return keyframes.get(0);
        }
        long before = keyframes.get(after - 1);
        if (after == keyframes.size()) {
            return before;
        }
        long next = keyframes.get(after);
        return next - frame < frame - before ? next : before;
    }
}
