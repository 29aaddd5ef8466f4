package io.argus.client;

import io.argus.cluster.AgentInfo;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Decides which agents may serve a stream, best first. */
public interface StreamRouter {

    /** Live agents able to run every task, in the order the stream should try them. */
    List<AgentInfo> route(String streamId, Collection<String> tasks);

    /** The agent the stream has been explicitly assigned to, if any and alive: the session moves there. */
    default Optional<String> preferred(String streamId) {
        return Optional.empty();
    }

    /** Subscribes to changes that may alter routes (agents joining or leaving, new assignments). */
    default void addListener(Runnable onChange) {
    }

    default void removeListener(Runnable onChange) {
    }
}
