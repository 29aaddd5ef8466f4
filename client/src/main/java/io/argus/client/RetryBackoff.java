package io.argus.client;

import io.github.resilience4j.core.IntervalFunction;

/**
 * How long a stream waits before sending again frames an agent refused for a passing reason
 * (overloaded, queue deadline, out of order behind a refused frame): Resilience4j's exponential
 * {@link IntervalFunction} as {@link BackoffConfig} sets it, reset by the first answer that is not
 * a refusal. Confined to the client's control thread.
 *
 * <p>The attempt number stops growing once the pause has reached its longest
 * ({@link #saturation}): Resilience4j computes the n-th exponential pause by iterating n times,
 * and every refused frame counts an attempt, so a stream refused for minutes (hundreds of held
 * frames answered out of order each second) made each call cost more than the last, until the
 * control thread did nothing else (seen in a CI run: 516 s of CPU in this call, the stream's
 * retries and failover starved behind it).
 */
final class RetryBackoff {
    /** The most attempts counted, whatever the configuration: a multiplier near 1 never saturates in practice. */
    static final int MAX_COUNTED_ATTEMPTS = 1_000;
    private final IntervalFunction intervals;
    private final int saturation;
    private int attempt;

    RetryBackoff(BackoffConfig config) {
        this.intervals = config.intervals();
        this.saturation = saturation(config);
    }

    /** The first attempt whose pause is the longest (the pauses after it are all the same). */
    static int saturation(BackoffConfig c) {
        if (c.multiplier() <= 1 || c.maxMs() <= c.initialMs()) {
            return 1;
        }
        double steps = Math.log((double) c.maxMs() / c.initialMs()) / Math.log(c.multiplier());
        return (int) Math.min(MAX_COUNTED_ATTEMPTS, 2 + Math.ceil(steps));
    }

    /** The pause before the next try, each call longer up to the maximum. */
    long nextDelayMs() {
        if (attempt < saturation) {
            attempt++;
        }
        return intervals.apply(attempt);
    }

    void reset() {
        attempt = 0;
    }
}
