package io.argus.cli.analyze.segment;

/**
 * How tracks are joined across a segment boundary ({@link TrackJoin}).
 *
 * <ul>
 *   <li>{@code joinIou} (default {@value #DEFAULT_JOIN_IOU}, 0.05 to 1): the mean IoU, over the
 *       overlap frames where both are seen, that a track of the new segment needs with a track of
 *       the run so far to continue it;</li>
 *   <li>{@code minSharedFrames} (default {@value #DEFAULT_MIN_SHARED_FRAMES}, 1 to 1000): frames of
 *       the overlap in which both must be seen, so that one chance overlap does not join two
 *       people.</li>
 * </ul>
 */
public record StitchConfig(double joinIou, int minSharedFrames) {
    public static final double DEFAULT_JOIN_IOU = 0.5;
    public static final int DEFAULT_MIN_SHARED_FRAMES = 3;
    public static final StitchConfig DEFAULT = builder().build();

    public StitchConfig {
        if (!(joinIou >= 0.05 && joinIou <= 1)) {
            throw new IllegalArgumentException("joinIou must be 0.05 to 1: " + joinIou);
        }
        if (minSharedFrames < 1 || minSharedFrames > 1000) {
            throw new IllegalArgumentException("minSharedFrames must be 1 to 1000: " + minSharedFrames);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private double joinIou = DEFAULT_JOIN_IOU;
        private int minSharedFrames = DEFAULT_MIN_SHARED_FRAMES;

        private Builder() {
        }

        public Builder joinIou(double v) {
            joinIou = v;
            return this;
        }

        public Builder minSharedFrames(int v) {
            minSharedFrames = v;
            return this;
        }

        public StitchConfig build() {
            return new StitchConfig(joinIou, minSharedFrames);
        }
    }
}
