package io.argus.client;

import io.argus.protocol.util.SettingRange;

/**
 * How a live stream is thinned while its agent sheds load ({@link LiveThinning}): only every
 * N-th offered frame is sent, N (the stride) doubling from 1 up to {@code maxStride} at most once
 * per {@code degradeStepMs} while the agent sheds, and halving after {@code recoverMs} without
 * shedding. Recordings are never thinned. Immutable; build one with {@link #builder()}; every
 * setting is range-checked, a value outside its range is an error.
 *
 * @param maxStride     the most the stride grows to (1 in maxStride frames sent); default
 *                      {@link #DEFAULT_MAX_STRIDE}; a power of two from 1 (never thin) to 1,024
 * @param degradeStepMs the stride doubles at most once per this while the agent sheds; default
 *                      {@link #DEFAULT_DEGRADE_STEP_MS}; 0 to 10 min
 * @param recoverMs     the stride halves after this long without shedding (and as long since its
 *                      last change); default {@link #DEFAULT_RECOVER_MS}; 0 to 1 hour
 */
public record ThinningConfig(int maxStride, long degradeStepMs, long recoverMs) {
    /**
     * 8: a 25 frames/s camera still sends about 3 frames/s; the tracker predicts across the gaps, and
     * the longer a gap, the likelier a crossing inside it is missed (RELIABILITY.md, live sources).
     */
    public static final int DEFAULT_MAX_STRIDE = 8;
    /**
     * 1000 ms: a shedding agent refuses a whole window of frames at once; doubling on each refusal
     * would jump to the maximum stride on one burst.
     */
    public static final long DEFAULT_DEGRADE_STEP_MS = 1_000;
    /** 5000 ms: five degrade steps, so that a stream does not flap between two strides while shedding comes and goes. */
    public static final long DEFAULT_RECOVER_MS = 5_000;

    public static final ThinningConfig DEFAULT = builder().build();

    public ThinningConfig {
        SettingRange.check("maxStride", maxStride, 1, 1_024);
        if (Integer.bitCount(maxStride) != 1) {
            // the stride doubles from 1: any other bound would be passed, not reached
            throw new IllegalArgumentException("maxStride = " + maxStride + " must be a power of two in [1, 1024]");
        }
        SettingRange.check("degradeStepMs", degradeStepMs, 0, 600_000);
        SettingRange.check("recoverMs", recoverMs, 0, 3_600_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxStride = DEFAULT_MAX_STRIDE;
        private long degradeStepMs = DEFAULT_DEGRADE_STEP_MS;
        private long recoverMs = DEFAULT_RECOVER_MS;

        public Builder maxStride(int v) {
            this.maxStride = v;
            return this;
        }

        public Builder degradeStepMs(long v) {
            this.degradeStepMs = v;
            return this;
        }

        public Builder recoverMs(long v) {
            this.recoverMs = v;
            return this;
        }

        public ThinningConfig build() {
            return new ThinningConfig(maxStride, degradeStepMs, recoverMs);
        }
    }
}
