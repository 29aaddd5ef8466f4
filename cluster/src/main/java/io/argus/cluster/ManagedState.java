package io.argus.cluster;

import java.util.Locale;

/**
 * Where a managed stream is in its life, as the agent running it reports it
 * ({@link ManagedStatus}) and the coordinator serves it.
 */
public enum ManagedState {
    /** Assigned and starting (restoring its checkpoint, opening its source), or waiting for an agent. */
    STARTING,
    /** Its source is open and frames are being processed. */
    RUNNING,
    /** Its source failed; the agent tries again at {@link ManagedStatus#nextAttemptAtMs()}. */
    RETRYING,
    /** Its source failed too many times in a row; the agent gave up until the stream is added again. */
    FAILED,
    /** A recording that does not loop was read to its end. */
    FINISHED;

    /** The name the API and {@code stream list} show: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
