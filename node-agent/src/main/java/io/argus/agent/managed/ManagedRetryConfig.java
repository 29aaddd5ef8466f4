package io.argus.agent.managed;

import io.argus.protocol.util.SettingRange;

/**
 * How an agent retries a managed stream's source that fails, and when it gives up. Immutable;
 * build one with {@link #builder()}; every setting is range-checked, a value outside its range is
 * an error.
 *
 * @param initialMs   the first pause after a failure, doubling with each failure in a row; default
 *                    {@link #DEFAULT_INITIAL_MS}; 10 ms to maxMs
 * @param maxMs       the pause doubles up to this; default {@link #DEFAULT_MAX_MS}; up to 1 hour
 * @param failAfter   failures in a row after which a <em>recording</em> (a file or an image folder)
 *                    is given up: state FAILED, no more attempts until the stream is added again or
 *                    moves to another agent; default {@link #DEFAULT_FAIL_AFTER}; 1 to 1,000. Live
 *                    sources (cameras, URLs) are never given up: a camera that reboots or a network
 *                    that drops for an hour comes back, and a 24/7 stream must come back with it
 */
public record ManagedRetryConfig(long initialMs, long maxMs, int failAfter) {
    /** 1 s: a source that failed once (a camera restarting) is usually back within seconds. */
    public static final long DEFAULT_INITIAL_MS = 1_000;
    /** 30 s: a source away for long is tried twice a minute, one warning each time. */
    public static final long DEFAULT_MAX_MS = 30_000;
    /**
     * 5 failures in a row (about 15 s with the default pauses 1, 2, 4 and 8 s): a file that cannot be
     * opened five times is a wrong path, a permission or a format FFmpeg cannot read, none of which
     * goes away by itself; saying FAILED is more useful than retrying forever.
     */
    public static final int DEFAULT_FAIL_AFTER = 5;

    public static final ManagedRetryConfig DEFAULT = builder().build();

    public ManagedRetryConfig {
        SettingRange.check("maxMs", maxMs, 10, 3_600_000);
        SettingRange.check("initialMs", initialMs, 10, maxMs);
        SettingRange.check("failAfter", failAfter, 1, 1_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long initialMs = DEFAULT_INITIAL_MS;
        private long maxMs = DEFAULT_MAX_MS;
        private int failAfter = DEFAULT_FAIL_AFTER;

        private Builder() {
        }

        /** The first pause after a failure. Default {@link #DEFAULT_INITIAL_MS}. */
        public Builder initialMs(long v) {
            this.initialMs = v;
            return this;
        }

        /** The longest pause. Default {@link #DEFAULT_MAX_MS}. */
        public Builder maxMs(long v) {
            this.maxMs = v;
            return this;
        }

        /** Failures in a row after which a recording is FAILED. Default {@link #DEFAULT_FAIL_AFTER}. */
        public Builder failAfter(int v) {
            this.failAfter = v;
            return this;
        }

        public ManagedRetryConfig build() {
            return new ManagedRetryConfig(initialMs, maxMs, failAfter);
        }
    }
}
