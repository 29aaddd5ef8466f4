package io.argus.client;

import io.github.resilience4j.core.IntervalFunction;

/**
 * How long a stream waits before sending again frames an agent refused for a passing reason
 * (overloaded, queue deadline, out of order behind a refused frame): Resilience4j's exponential
 * {@link IntervalFunction}, from {@link #INITIAL_MS} doubling to {@link #MAX_MS}, reset by the
 * first answer that is not a refusal. Confined to the client's control thread.
 */
final class RetryBackoff {
    /** First pause. */
    static final long INITIAL_MS = 20;
    /** Longest pause. */
    static final long MAX_MS = 1_000;

    private final IntervalFunction intervals = IntervalFunction.ofExponentialBackoff(INITIAL_MS, 2.0, MAX_MS);
    private int attempt;

    /** The pause before the next try, each call longer up to the maximum. */
    long nextDelayMs() {
        return intervals.apply(++attempt);
    }

    void reset() {
        attempt = 0;
    }
}
