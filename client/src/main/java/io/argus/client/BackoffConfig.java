package io.argus.client;

import io.argus.protocol.util.SettingRange;
import io.github.resilience4j.core.IntervalFunction;

/**
 * How long a stream waits before sending again frames an agent refused for a passing reason
 * (overloaded, queue deadline, out of order behind a refused frame, not the owner yet): from
 * {@code initialMs}, multiplied by {@code multiplier} after each refusal up to {@code maxMs}, and
 * back to {@code initialMs} after the first answer that is not a refusal ({@link RetryBackoff}).
 * Immutable; build one with {@link #builder()}; every setting is range-checked, a value outside its
 * range is an error.
 *
 * @param initialMs  the first pause; default {@link #DEFAULT_INITIAL_MS}; 1 ms to 60 s
 * @param multiplier each pause is the previous one times this; default {@link #DEFAULT_MULTIPLIER}; 1 to 10
 * @param maxMs      the longest pause; default {@link #DEFAULT_MAX_MS}; initialMs to 10 min
 */
public record BackoffConfig(long initialMs, double multiplier, long maxMs) {
    /** 20 ms: an agent sheds for a moment (one busy worker); most refused frames are taken at once again. */
    public static final long DEFAULT_INITIAL_MS = 20;
    /** 2: doubling reaches the longest pause after 6 refusals in a row. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /**
     * 1000 ms: a stream with state waits for its agent rather than moving (its state would restart),
     * so the pause bounds how late it notices that the agent has room again.
     */
    public static final long DEFAULT_MAX_MS = 1_000;

    public static final BackoffConfig DEFAULT = builder().build();

    public BackoffConfig {
        SettingRange.check("initialMs", initialMs, 1, 60_000);
        SettingRange.check("multiplier", multiplier, 1, 10);
        SettingRange.check("maxMs", maxMs, initialMs, 600_000);
    }

    /** The pauses as Resilience4j's exponential {@link IntervalFunction}: attempt 1 waits {@code initialMs}. */
    public IntervalFunction intervals() {
        return IntervalFunction.ofExponentialBackoff(initialMs, multiplier, maxMs);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long initialMs = DEFAULT_INITIAL_MS;
        private double multiplier = DEFAULT_MULTIPLIER;
        private long maxMs = DEFAULT_MAX_MS;

        public Builder initialMs(long v) {
            this.initialMs = v;
            return this;
        }

        public Builder multiplier(double v) {
            this.multiplier = v;
            return this;
        }

        public Builder maxMs(long v) {
            this.maxMs = v;
            return this;
        }

        public BackoffConfig build() {
            return new BackoffConfig(initialMs, multiplier, maxMs);
        }
    }
}
