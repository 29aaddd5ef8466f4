package io.argus.client;

import java.util.concurrent.TimeUnit;

/**
 * When an unanswered frame is given up on, or resent elsewhere. A frame without state is resent
 * to another agent after {@code perSend} without an answer, and failed after {@code maxAttempts}
 * such sends. A frame of a stream with state is never resent elsewhere just because it is slow
 * while its connection lives (heartbeats close a dead one): that would move the stream's state.
 * It waits up to {@link SuspicionConfig#sequencedStallMs()}, or the whole budget if that is longer.
 */
final class FrameTimeouts {
    enum Verdict {
        WAIT,
        /** Deliver it as {@code TIMEOUT}. */
        FAIL,
        /** Its agent is suspected; send it again elsewhere. */
        RESEND_ELSEWHERE
    }

    private final long perSendNanos;
    private final int maxAttempts;
    private final boolean sequenced;
    /** How long a frame of a stream with state may wait for an answer on a live connection. */
    private final long sequencedStallNanos;

    FrameTimeouts(long frameTimeoutMs, int maxAttempts, boolean sequenced, long sequencedStallMs) {
        this.perSendNanos = TimeUnit.MILLISECONDS.toNanos(frameTimeoutMs);
        this.maxAttempts = maxAttempts;
        this.sequenced = sequenced;
        this.sequencedStallNanos = TimeUnit.MILLISECONDS.toNanos(sequencedStallMs);
    }

    /**
     * @param sent        the frame's last send is outstanding (not answered, not lost)
     * @param connLive    that send's connection is still open
     */
    Verdict check(long now, long firstNanos, long sentNanos, boolean sent, boolean connLive, int attempts) {
        long total = perSendNanos * maxAttempts;
        long age = now - firstNanos;
        if (sequenced && sent && connLive) {
            return age > Math.max(total, sequencedStallNanos) ? Verdict.FAIL : Verdict.WAIT;
        }
        if (sequenced && age <= sequencedStallNanos) {
            return Verdict.WAIT;
        }
        if (age > total) {
            return Verdict.FAIL;
        }
        if (sent && now - sentNanos > perSendNanos) {
            return attempts >= maxAttempts ? Verdict.FAIL : Verdict.RESEND_ELSEWHERE;
        }
        return Verdict.WAIT;
    }
}
