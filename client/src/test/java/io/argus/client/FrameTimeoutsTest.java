package io.argus.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.argus.client.FrameTimeouts.Verdict.FAIL;
import static io.argus.client.FrameTimeouts.Verdict.RESEND_ELSEWHERE;
import static io.argus.client.FrameTimeouts.Verdict.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** Timeouts of unanswered frames on a fake clock (nanoseconds from an arbitrary origin). */
class FrameTimeoutsTest {
    static final long T0 = TimeUnit.SECONDS.toNanos(1_000);
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long STALL_MS = SuspicionConfig.DEFAULT_SEQUENCED_STALL_MS;
    final FrameTimeouts stateless = new FrameTimeouts(2_000, 3, false, STALL_MS);
    final FrameTimeouts sequenced = new FrameTimeouts(2_000, 3, true, STALL_MS);

    @Test
    void aFrameWithoutStateIsResentElsewhereAfterOneSendTimeoutAndFailedAfterTheBudget() {
        assertThat(stateless.check(T0 + 1_999 * MS, T0, T0, true, true, 1)).isEqualTo(WAIT);
        assertThat(stateless.check(T0 + 2_001 * MS, T0, T0, true, true, 1)).isEqualTo(RESEND_ELSEWHERE);
        assertThat(stateless.check(T0 + 4_001 * MS, T0, T0 + 2_000 * MS, true, true, 3)).isEqualTo(FAIL);
        assertThat(stateless.check(T0 + 6_001 * MS, T0, T0 + 5_000 * MS, true, true, 2)).as("past 3 x 2 s")
                .isEqualTo(FAIL);
        assertThat(stateless.check(T0 + 5_000 * MS, T0, 0, false, false, 2)).as("waiting for an agent")
                .isEqualTo(WAIT);
    }

    @Test
    void aFrameWithStateWaitsOnALiveConnectionUntilTheStallBound() {
        long stall = STALL_MS * MS;
        assertThat(sequenced.check(T0 + stall, T0, T0, true, true, 1)).isEqualTo(WAIT);
        assertThat(sequenced.check(T0 + stall + MS, T0, T0, true, true, 1)).isEqualTo(FAIL);
        // never resent elsewhere while slow: that would move its state
        for (long t = T0; t <= T0 + stall; t += stall / 50) {
            assertThat(sequenced.check(t, T0, T0, true, true, 1)).isNotEqualTo(RESEND_ELSEWHERE);
        }
    }

    @Test
    void aFrameWithStateWhoseConnectionIsGoneWaitsForTheNextOwnerUpToTheStallBound() {
        long stall = STALL_MS * MS;
        assertThat(sequenced.check(T0 + stall - MS, T0, T0, false, false, 1)).isEqualTo(WAIT);
        assertThat(sequenced.check(T0 + stall + MS, T0, T0, false, false, 1)).isEqualTo(FAIL);
    }

    @Test
    void theStallBoundIsTheStreamsSetting() {
        FrameTimeouts shortStall = new FrameTimeouts(2_000, 3, true, 10_000);
        assertThat(shortStall.check(T0 + 10_001 * MS, T0, T0, false, false, 1)).isEqualTo(FAIL);
        assertThat(sequenced.check(T0 + 10_001 * MS, T0, T0, false, false, 1)).isEqualTo(WAIT);
    }
}
