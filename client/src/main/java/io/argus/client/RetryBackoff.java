package io.argus.client;

import io.github.resilience4j.core.IntervalFunction;

/**
 * How long a stream waits before sending again frames an agent refused for a passing reason
 * (overloaded, queue deadline, out of order behind a refused frame): Resilience4j's exponential
 * {@link IntervalFunction} as {@link BackoffConfig} sets it, reset by the first answer that is not
 * a refusal. Confined to the client's control thread.
 */
final class RetryBackoff {
    private final IntervalFunction intervals;
    private int attempt;

    RetryBackoff(BackoffConfig config) {
        this.intervals = config.intervals();
    }

    /** The pause before the next try, each call longer up to the maximum. */
    long nextDelayMs() {
        return intervals.apply(++attempt);
    }

    void reset() {
        attempt = 0;
    }
}
