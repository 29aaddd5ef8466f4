package io.argus.cli.analyze.segment;

import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How {@code analyze --parallel} cuts a run of several recorded files composed into one picture
 * ({@code mosaic}, {@code stitch}): the serial run sends the files' frames on one stream in the order
 * of their times ({@code TimeAlignedSources}: the earliest first, a tie to the earlier source), and
 * numbers them in that order. The plan computes that order from the files' packets before anything
 * is decoded ({@code FrameTimes}), so a segment can own a range of the serial run's frame numbers
 * and send exactly those frames, numbered as the serial run numbers them.
 *
 * <p><b>Cuts.</b> The frames are cut into equal segments, as many as the workers or the smallest
 * multiple of them that keeps each at most {@link SegmentConfig#segmentSeconds()} long on the
 * common clock. Each file is seeked on its own (to the keyframe before its first frame sent, by
 * its decoder), so a cut may fall anywhere, not only at a keyframe of every file.
 *
 * <p><b>Warm-up.</b> What a composite keeps is each source's latest picture (and, for {@code
 * stitch}, the homography between them). So before segment {@code k}'s first frame at time
 * {@code T}, each source sends its frames from {@code T - warmUpSeconds}, and at least its latest
 * frame before the cut, however long ago: a camera that ended or paused is drawn from its last
 * picture, greyed as stale, as in the serial run. A source that starts after the cut sends nothing
 * before it. The warm-up's results are discarded.
 *
 * <p>Memory: 12 bytes per frame of all the sources together while planning, 8 kept, at most
 * {@link #MAX_FRAMES} frames; at most {@link #MAX_SOURCES} files.
 */
public final class CompositePlan {
    /** Frames of all the sources together a plan holds: 80 MB of order, 10 hours of 9 cameras at 30 frames/s. */
    public static final int MAX_FRAMES = 10_000_000;
    /** Files a plan composes: planning costs a comparison per file per frame, and a segment may open each. */
    public static final int MAX_SOURCES = 64;

    /** One segment: the serial run's frames it owns, and the first frame each source sends. */
    public record Cut(Segment segment, long[] firstFrame, long warmUpFrames) {
        /** The first frame of {@code source} this segment sends (frames before it in the plan are not sent). */
        public long firstFrame(int source) {
            return firstFrame[source];
        }
    }

    private final int[] source;
    private final int[] frame;
    private final List<Cut> cuts;
    private final List<Integer> joinOrder;

    private CompositePlan(int[] source, int[] frame, List<Cut> cuts, List<Integer> joinOrder) {
        this.source = source;
        this.frame = frame;
        this.cuts = cuts;
        this.joinOrder = joinOrder;
    }

    /**
     * The serial run's order of the sources' frames, and its cuts.
     *
     * @param times    each source's frames' times (microseconds, ascending: {@code FrameTimes})
     * @param offsetUs each source's clock from the earliest's ({@code TimeAlignedSources.offsets})
     * @param workers  segments to run at once
     */
    public static CompositePlan plan(List<long[]> times, long[] offsetUs, SegmentConfig cfg, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        int total = checkSize(times);
        int[] source = new int[total];
        int[] frame = new int[total];
        int[][] position = new int[times.size()][];
        int[] head = new int[times.size()];
        for (int s = 0; s < times.size(); s++) {
            position[s] = new int[times.get(s).length];
        }
        long lastUs = 0;
        for (int p = 0; p < total; p++) {
            int best = -1;
            for (int s = 0; s < times.size(); s++) {
                // strictly earlier wins, so a tie goes to the earlier source, as in the serial run
                if (head[s] < times.get(s).length && (best < 0 || time(times, offsetUs, s, head[s]) < time(times, offsetUs, best, head[best]))) {
                    best = s;
                }
            }
            source[p] = best;
            frame[p] = head[best];
            position[best][head[best]] = p;
            lastUs = time(times, offsetUs, best, head[best]);
            head[best]++;
        }
        long perWorker = Math.max(1, (long) Math.ceil(lastUs / 1e6 / (cfg.segmentSeconds() * workers)));
        long n = Math.min(total, perWorker * workers);
        long warmUpUs = Math.round(cfg.warmUpSeconds() * 1e6);
        List<Cut> cuts = new ArrayList<>();
        long start = 0;
        for (long k = 0; k < n; k++) {
            long end = k + 1 == n ? total : Math.round((double) (k + 1) * total / n);
            if (end <= start) {
                continue;
            }
            long cutUs = time(times, offsetUs, source[(int) start], frame[(int) start]);
            cuts.add(cut(cuts.size(), (int) start, (int) end, cutUs - warmUpUs, times, offsetUs, position));
            start = end;
        }
        List<Integer> join = new ArrayList<>();
        for (int p = 0; p < total && join.size() < times.size(); p++) {
            if (frame[p] == 0) {
                join.add(source[p]);
            }
        }
        return new CompositePlan(source, frame, List.copyOf(cuts), List.copyOf(join));
    }

    /** The frames of all the sources together; refused past {@link #MAX_FRAMES} or {@link #MAX_SOURCES}. */
    public static int checkSize(List<long[]> times) {
        if (times.size() > MAX_SOURCES) {
            throw new IllegalArgumentException("--parallel composes at most " + MAX_SOURCES + " files (" + times.size() + " here)");
        }
        long all = times.stream().mapToLong(t -> t.length).sum();
        if (all == 0) {
            throw new IllegalArgumentException("the sources have no frames");
        }
        if (all > MAX_FRAMES) {
            throw new IllegalArgumentException("--parallel composes at most " + MAX_FRAMES + " frames of all the files together ("
                    + all + " here); compose shorter recordings");
        }
        return (int) all;
    }

    private static long time(List<long[]> times, long[] offsetUs, int s, int f) {
        return offsetUs[s] + times.get(s)[f];
    }

    /** @param fromUs where the warm-up begins on the common clock */
    private static Cut cut(int index, int start, int end, long fromUs, List<long[]> times, long[] offsetUs, int[][] position) {
        long[] first = new long[times.size()];
        long warmUpFrames = 0;
        int warmUpStart = start;
        for (int s = 0; s < times.size(); s++) {
            long[] t = times.get(s);
            int before = countBefore(position[s], start); // frames of s the serial run sent before the cut
            if (start == 0 || before == 0) {
                first[s] = 0; // nothing of s before the cut: it starts with its first owned frame
                continue;
            }
            int inWindow = firstAtOrAfter(t, fromUs - offsetUs[s]);
            int f = Math.min(inWindow, before - 1); // at least the latest picture before the cut
            first[s] = f;
            warmUpFrames += before - f;
            warmUpStart = Math.min(warmUpStart, position[s][f]);
        }
        return new Cut(new Segment(index, warmUpStart, warmUpStart, start, end), first, warmUpFrames);
    }

    /** How many of the ascending positions are below {@code p}. */
    private static int countBefore(int[] positions, int p) {
        int i = Arrays.binarySearch(positions, p);
        return i >= 0 ? i : -i - 1;
    }

    /** The first index whose time is at least {@code us}. */
    private static int firstAtOrAfter(long[] times, long us) {
        int lo = 0;
        int hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < us) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public List<Cut> cuts() {
        return cuts;
    }

    public List<Segment> segments() {
        return cuts.stream().map(Cut::segment).toList();
    }

    /** Frames of all the sources together. */
    public int frames() {
        return source.length;
    }

    /** Which source the serial run's frame {@code p} is from. */
    public int source(long p) {
        return source[Math.toIntExact(p)];
    }

    /** Which of its source's frames the serial run's frame {@code p} is. */
    public int frame(long p) {
        return frame[Math.toIntExact(p)];
    }

    /** The sources in the order their first frames come: the order a serial run's composite meets them. */
    public List<Integer> joinOrder() {
        return joinOrder;
    }
}
