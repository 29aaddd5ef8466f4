package io.argus.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pauses between resends of refused frames: doubling, capped, and reset by an answer. */
class RetryBackoffTest {
    @Test
    void pausesDoubleFromTheFirstUpToTheCapAndStartOverAfterAReset() {
        RetryBackoff b = new RetryBackoff(BackoffConfig.DEFAULT);
        long previous = 0;
        for (int i = 0; i < 20; i++) {
            long d = b.nextDelayMs();
            assertThat(d).isBetween(BackoffConfig.DEFAULT_INITIAL_MS, BackoffConfig.DEFAULT_MAX_MS).isGreaterThanOrEqualTo(previous);
            previous = d;
        }
        assertThat(previous).isEqualTo(BackoffConfig.DEFAULT_MAX_MS);
        b.reset();
        assertThat(b.nextDelayMs()).isEqualTo(BackoffConfig.DEFAULT_INITIAL_MS);
        assertThat(b.nextDelayMs()).isEqualTo(2 * BackoffConfig.DEFAULT_INITIAL_MS);
    }

    /** The values the hand-written doubling gave before Resilience4j computed them: 20, 40, ... 640, then 1000. */
    @Test
    void theDefaultPausesAreTheOnesBeforeTheSettingExisted() {
        RetryBackoff b = new RetryBackoff(BackoffConfig.DEFAULT);
        long[] expected = {20, 40, 80, 160, 320, 640, 1_000, 1_000};
        for (long e : expected) {
            assertThat(b.nextDelayMs()).isEqualTo(e);
        }
    }

    @Test
    void anotherMultiplierAndCapAreApplied() {
        RetryBackoff b = new RetryBackoff(BackoffConfig.builder().initialMs(10).multiplier(3).maxMs(50).build());
        assertThat(b.nextDelayMs()).isEqualTo(10);
        assertThat(b.nextDelayMs()).isEqualTo(30);
        assertThat(b.nextDelayMs()).isEqualTo(50);
    }

    /**
     * A stream refused for minutes counts hundreds of thousands of attempts; each pause must still
     * cost the same (before the attempt stopped at saturation, Resilience4j iterated n times for
     * the n-th pause, and 200,000 calls took minutes: the timeout fails it).
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aLongRefusalCostsNoMorePerPauseThanAShortOne() {
        RetryBackoff b = new RetryBackoff(BackoffConfig.DEFAULT);
        for (int i = 0; i < 200_000; i++) {
            assertThat(b.nextDelayMs()).isLessThanOrEqualTo(BackoffConfig.DEFAULT_MAX_MS);
        }
        assertThat(b.nextDelayMs()).isEqualTo(BackoffConfig.DEFAULT_MAX_MS);
    }

    /** Stopping the count at saturation changes no pause: the same as Resilience4j's for the n-th attempt. */
    @Test
    void thePausesAreResilience4jsForEveryAttempt() {
        for (BackoffConfig c : List.of(BackoffConfig.DEFAULT, BackoffConfig.builder().initialMs(10).multiplier(3).maxMs(50).build(),
                BackoffConfig.builder().initialMs(1).multiplier(1.1).maxMs(60_000).build(),
                BackoffConfig.builder().initialMs(5).multiplier(1).maxMs(5).build())) {
            RetryBackoff b = new RetryBackoff(c);
            for (int n = 1; n <= 300; n++) {
                assertThat(b.nextDelayMs()).as("%s attempt %d", c, n).isEqualTo(c.intervals().apply(n));
            }
        }
    }
}
