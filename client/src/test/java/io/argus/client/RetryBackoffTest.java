package io.argus.client;

import org.junit.jupiter.api.Test;

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
}
