package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * What the agent running a managed stream says about it, stored as JSON in its ephemeral node
 * {@link ZkPaths#managedStatus(String, String)} (so it disappears with the agent's session).
 *
 * @param agent           the reporting agent
 * @param epoch           the ownership epoch the agent runs the stream under: a report of an older
 *                        epoch is about a run that is over
 * @param state           where the stream is
 * @param lastError       the source's last failure (RETRYING, FAILED), in words for the operator; for
 *                        STARTING without a report, why it is still starting
 * @param nextAttemptAtMs when the agent tries the source again (RETRYING), else 0
 * @param failures        failures in a row since the source last opened
 * @param sinceMs         when the stream entered this state
 * @param resumedFrom     the sequence the agent continued the stream from: 0 when it began with
 *                        fresh state, the checkpoint's {@code last_sequence} + 1 when it continued
 *                        from one, -1 before it has opened the stream's state (reports written
 *                        before this field existed read as 0)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ManagedStatus(String agent, long epoch, ManagedState state, @Nullable String lastError,
                            long nextAttemptAtMs, int failures, long sinceMs,
                            long resumedFrom) {

    /** A stream with no report (not assigned yet, or its agent has not said anything yet). */
    public static ManagedStatus starting(@Nullable String detail) {
        return new ManagedStatus("", 0, ManagedState.STARTING, detail, 0, 0, 0, -1);
    }
}
