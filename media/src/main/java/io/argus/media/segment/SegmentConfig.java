package io.argus.media.segment;

/**
 * How a recorded file is cut for a parallel run ({@link SegmentPlan}).
 *
 * <ul>
 *   <li>{@code segmentSeconds} (default {@value #DEFAULT_SEGMENT_SECONDS} s, 1 s to a day): the
 *       longest a segment may be; a file is cut into as many equal segments as the workers need,
 *       more only where they would be longer than this ({@link SegmentPlan}), and the real bounds
 *       are the keyframes nearest to the cuts. A segment is the unit that is scheduled, re-run
 *       after a failure and merged; each costs one warm-up more. At the default's length that cost
 *       is under 2% ({@value #DEFAULT_WARM_UP_SECONDS} s of warm-up per 600 s; a short file cut for
 *       many workers pays more, 6% for 10 minutes on 4), and a segment's re-run after a failure is
 *       at most 10 minutes of footage (managed replays resume from their checkpoint, so they lose
 *       less); shorter segments only help where agents run at different speeds.</li>
 *   <li>{@code warmUpSeconds} (default {@value #DEFAULT_WARM_UP_SECONDS} s, 0 to 600 s): footage
 *       processed before a segment's first frame, results discarded, so that stateful tasks start
 *       the segment with the state a serial run would have: the background model, the people
 *       already in view (confirmed, old enough to count) and, for {@code people}, at least one
 *       whole-frame search (every {@code fullEveryMs}, 8 s by default). It is also the overlap over
 *       which tracks are joined across the boundary.</li>
 * </ul>
 */
public record SegmentConfig(double segmentSeconds, double warmUpSeconds) {
    public static final double DEFAULT_SEGMENT_SECONDS = 600;
    public static final double MIN_SEGMENT_SECONDS = 1;
    public static final double MAX_SEGMENT_SECONDS = 86_400;
    public static final double DEFAULT_WARM_UP_SECONDS = 10;
    public static final double MAX_WARM_UP_SECONDS = 600;

    public static final SegmentConfig DEFAULT = builder().build();

    public SegmentConfig {
        if (!(segmentSeconds >= MIN_SEGMENT_SECONDS && segmentSeconds <= MAX_SEGMENT_SECONDS)) {
            throw new IllegalArgumentException("segment length must be " + MIN_SEGMENT_SECONDS + " to "
                    + MAX_SEGMENT_SECONDS + " s: " + segmentSeconds);
        }
        if (!(warmUpSeconds >= 0 && warmUpSeconds <= MAX_WARM_UP_SECONDS)) {
            throw new IllegalArgumentException("warm-up must be 0 to " + MAX_WARM_UP_SECONDS + " s: " + warmUpSeconds);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private double segmentSeconds = DEFAULT_SEGMENT_SECONDS;
        private double warmUpSeconds = DEFAULT_WARM_UP_SECONDS;

        private Builder() {
        }

        public Builder segmentSeconds(double v) {
            segmentSeconds = v;
            return this;
        }

        public Builder warmUpSeconds(double v) {
            warmUpSeconds = v;
            return this;
        }

        public SegmentConfig build() {
            return new SegmentConfig(segmentSeconds, warmUpSeconds);
        }
    }
}
