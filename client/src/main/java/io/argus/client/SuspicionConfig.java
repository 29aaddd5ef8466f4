package io.argus.client;

import io.argus.protocol.util.SettingRange;

/**
 * When a stream holds a failure against an agent (<em>suspects</em> it) and for how long
 * ({@link AgentSelector}, {@link RefusalPolicy}, {@link FrameTimeouts}). An agent is suspected when
 * its connection fails, it is draining or fenced, a frame goes unanswered past the stream's
 * {@link StreamSpec#frameTimeoutMs() frame timeout} (a stream with state: not before
 * {@code sequencedStallMs}, and never while its connection lives), or a stream without state has been refused
 * for load more than {@code overloadStreakToMove} times in a row while another agent is idle. A
 * suspected agent gets none of the stream's frames for {@code suspectMs}. Immutable; build one with
 * {@link #builder()}; every setting is range-checked, a value outside its range is an error.
 *
 * @param suspectMs            how long a suspected agent is avoided; default {@link #DEFAULT_SUSPECT_MS}; 10 ms to 10 min
 * @param overloadStreakToMove refusals for load in a row after which a stream without state moves to an
 *                             idle agent; default {@link #DEFAULT_OVERLOAD_STREAK_TO_MOVE}; 1 to 1,000,000
 * @param sequencedStallMs     how long a frame of a stream with state waits for an answer, on its live
 *                             connection or for the stream's next agent, before it is given up (or the
 *                             frame budget, maxAttempts x frameTimeoutMs, if longer); until then it is
 *                             never resent elsewhere and its agent not suspected for it; default
 *                             {@link #DEFAULT_SEQUENCED_STALL_MS}; 1 s to 1 day
 */
public record SuspicionConfig(long suspectMs, int overloadStreakToMove, long sequencedStallMs) {
    /**
     * 5000 ms: as long as an agent's circuit breaker stays open ({@code AgentBreakerConfig.DEFAULT_OPEN_MS});
     * a failed agent may still be in discovery until its session expires, and a restarted one is
     * tried again soon.
     */
    public static final long DEFAULT_SUSPECT_MS = 5_000;
    /**
     * 20 refusals: several rounds of the backoff (a window of frames is refused together), so that a
     * moment of load does not move a stream, while an agent that stays busy beside an idle one does.
     */
    public static final int DEFAULT_OVERLOAD_STREAK_TO_MOVE = 20;
    /**
     * 120 s: moving a stream with state restarts it from its checkpoint, so a slow frame on a live
     * connection is waited for; longer than any frame within the agent's budgets takes.
     */
    public static final long DEFAULT_SEQUENCED_STALL_MS = 120_000;

    public static final SuspicionConfig DEFAULT = builder().build();

    public SuspicionConfig {
        SettingRange.check("suspectMs", suspectMs, 10, 600_000);
        SettingRange.check("overloadStreakToMove", overloadStreakToMove, 1, 1_000_000);
        SettingRange.check("sequencedStallMs", sequencedStallMs, 1_000, 86_400_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long suspectMs = DEFAULT_SUSPECT_MS;
        private int overloadStreakToMove = DEFAULT_OVERLOAD_STREAK_TO_MOVE;
        private long sequencedStallMs = DEFAULT_SEQUENCED_STALL_MS;

        public Builder suspectMs(long v) {
            this.suspectMs = v;
            return this;
        }

        public Builder overloadStreakToMove(int v) {
            this.overloadStreakToMove = v;
            return this;
        }

        public Builder sequencedStallMs(long v) {
            this.sequencedStallMs = v;
            return this;
        }

        public SuspicionConfig build() {
            return new SuspicionConfig(suspectMs, overloadStreakToMove, sequencedStallMs);
        }
    }
}
