package io.argus.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pauses between resends of refused frames: doubling, capped, and reset by an answer. */
class RetryBackoffTest {
    @Test
    void pausesDoubleFromTheFirstUpToTheCapAndStartOverAfterAReset() {
        RetryBackoff b = new RetryBackoff();
        long previous = 0;
        for (int i = 0; i < 20; i++) {
            long d = b.nextDelayMs();
            assertThat(d).isBetween(RetryBackoff.INITIAL_MS, RetryBackoff.MAX_MS).isGreaterThanOrEqualTo(previous);
            previous = d;
        }
        assertThat(previous).isEqualTo(RetryBackoff.MAX_MS);
        b.reset();
        assertThat(b.nextDelayMs()).isEqualTo(RetryBackoff.INITIAL_MS);
        assertThat(b.nextDelayMs()).isEqualTo(2 * RetryBackoff.INITIAL_MS);
    }
}
