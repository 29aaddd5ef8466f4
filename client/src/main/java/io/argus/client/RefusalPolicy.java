package io.argus.client;

import io.argus.protocol.v1.Code;

import java.util.function.BooleanSupplier;

/**
 * What a stream does with a frame an agent answered with an error instead of a result. Decided
 * from the code and the kind of stream alone, so that the rules are written (and tested) once:
 * <ul>
 *   <li>a stream with state never leaves a healthy agent because it is busy ({@code OVERLOADED},
 *       or {@code TIMEOUT} in the agent's queue): moving would restart its state elsewhere, so it
 *       waits and resends in order;</li>
 *   <li>{@code NOT_OWNER} is not a fault of the agent: the stream leaves it without suspecting it,
 *       and is routed again after a pause (the client's view of the assignment may lag);</li>
 *   <li>{@code UNAVAILABLE} (draining, fenced) moves the stream and suspects the agent;</li>
 *   <li>anything else was decided by the frame itself (bad image, unknown task, too large) and is
 *       the same on every agent: the listener gets it.</li>
 * </ul>
 * {@code OUT_OF_ORDER} is not decided here: its answer names the frame to continue from.
 */
final class RefusalPolicy {
    enum Action {
        /** Pause (exponential backoff), then send again, in order, to the same agent. */
        RETRY_LATER,
        /** Suspect the agent and send the frame (and the stream) elsewhere now. */
        MOVE,
        /** Leave the agent without suspecting it; choose an agent again after a pause. */
        REROUTE,
        /** Send again now, wherever the stream is. */
        RESEND,
        /** Give the failure to the listener: the frame decided it, and resending would not help. */
        DELIVER
    }

    private RefusalPolicy() {
    }

    /**
     * @param overloadStreak   refusals for load in a row on this stream, this one included
     * @param streakToMove     {@link SuspicionConfig#overloadStreakToMove()}: refusals for load in a row
     *                         after which a stream without state tries another idle agent
     * @param idleAlternative  asked only when a stream without state has been refused for load more than
     *                         {@code streakToMove} times: whether another agent could take it
     */
    static Action onRefusal(Code code, boolean sequenced, int attempts, int maxAttempts, int overloadStreak,
                            int streakToMove, BooleanSupplier idleAlternative) {
        return switch (code) {
            case OVERLOADED -> sequenced || overloadStreak <= streakToMove || !idleAlternative.getAsBoolean()
                    ? Action.RETRY_LATER : Action.MOVE;
            case TIMEOUT -> sequenced ? Action.RETRY_LATER : attempts >= maxAttempts ? Action.DELIVER : Action.RESEND;
            case NOT_OWNER -> Action.REROUTE;
            case UNAVAILABLE -> Action.MOVE;
            default -> Action.DELIVER;
        };
    }
}
