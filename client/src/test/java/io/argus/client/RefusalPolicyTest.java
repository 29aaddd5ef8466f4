package io.argus.client;

import io.argus.protocol.v1.Code;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static io.argus.client.RefusalPolicy.Action.DELIVER;
import static io.argus.client.RefusalPolicy.Action.MOVE;
import static io.argus.client.RefusalPolicy.Action.REROUTE;
import static io.argus.client.RefusalPolicy.Action.RESEND;
import static io.argus.client.RefusalPolicy.Action.RETRY_LATER;
import static io.argus.client.RefusalPolicy.onRefusal;
import static org.assertj.core.api.Assertions.assertThat;

/** The refusal rules, one by one: the ones that keep a stream with state where it is first. */
class RefusalPolicyTest {
    static final int LIMIT = SuspicionConfig.DEFAULT_OVERLOAD_STREAK_TO_MOVE;

    @Test
    void aStreamWithStateNeverMovesBecauseItsAgentIsBusy() {
        AtomicInteger asked = new AtomicInteger();
        for (int streak = 1; streak < 200; streak++) {
            assertThat(onRefusal(Code.OVERLOADED, true, 1, 3, streak, LIMIT, () -> asked.incrementAndGet() > 0))
                    .isEqualTo(RETRY_LATER);
        }
        assertThat(onRefusal(Code.TIMEOUT, true, 99, 3, 0, LIMIT, () -> true)).isEqualTo(RETRY_LATER);
        assertThat(asked).as("whether another agent is idle is not even asked").hasValue(0);
    }

    @Test
    void aStreamWithoutStateTriesAnotherAgentOnlyAfterALongStreakAndOnlyIfOneIsIdle() {
        assertThat(onRefusal(Code.OVERLOADED, false, 1, 3, LIMIT, LIMIT, () -> true)).isEqualTo(RETRY_LATER);
        assertThat(onRefusal(Code.OVERLOADED, false, 1, 3, LIMIT + 1, LIMIT, () -> true)).isEqualTo(MOVE);
        assertThat(onRefusal(Code.OVERLOADED, false, 1, 3, LIMIT + 1, LIMIT, () -> false)).isEqualTo(RETRY_LATER);
        // the streak is the stream's setting (SuspicionConfig.overloadStreakToMove), not a constant
        assertThat(onRefusal(Code.OVERLOADED, false, 1, 3, 3, 2, () -> true)).isEqualTo(MOVE);
        assertThat(onRefusal(Code.OVERLOADED, false, 1, 3, 3, 3, () -> true)).isEqualTo(RETRY_LATER);
        assertThat(onRefusal(Code.TIMEOUT, false, 1, 3, 0, LIMIT, () -> true)).isEqualTo(RESEND);
        assertThat(onRefusal(Code.TIMEOUT, false, 3, 3, 0, LIMIT, () -> true)).isEqualTo(DELIVER);
    }

    @Test
    void notOwnerReroutesAndUnavailableMovesForEveryKindOfStream() {
        for (boolean sequenced : new boolean[] {true, false}) {
            assertThat(onRefusal(Code.NOT_OWNER, sequenced, 1, 3, 0, LIMIT, () -> true)).isEqualTo(REROUTE);
            assertThat(onRefusal(Code.UNAVAILABLE, sequenced, 1, 3, 0, LIMIT, () -> true)).isEqualTo(MOVE);
        }
    }

    @Test
    void whatTheFrameDecidedGoesToTheListener() {
        for (Code c : new Code[] {Code.BAD_REQUEST, Code.UNSUPPORTED_TASK, Code.IMAGE_DECODE_FAILED, Code.TOO_LARGE,
                Code.INTERNAL}) {
            assertThat(onRefusal(c, true, 1, 3, 0, LIMIT, () -> true)).as(c.name()).isEqualTo(DELIVER);
            assertThat(onRefusal(c, false, 1, 3, 0, LIMIT, () -> true)).as(c.name()).isEqualTo(DELIVER);
        }
    }
}
