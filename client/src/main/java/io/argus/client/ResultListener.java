package io.argus.client;

import org.jspecify.annotations.Nullable;

/**
 * Receives a stream's results, in frame order, exactly once per submitted frame. Called on the
 * client's delivery thread: keep it short or hand off.
 */
public interface ResultListener {
    void onResult(StreamResult result);

    /** The stream moved (or is moving) to another agent; {@code toAgent} may be null while none is available. */
    default void onRouteChange(String streamId, @Nullable String fromAgent, String toAgent, String reason) {
    }
}
