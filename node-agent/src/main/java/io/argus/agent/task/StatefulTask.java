package io.argus.agent.task;

import io.argus.task.api.TaskException;
import java.util.Map;

/**
 * A task that keeps per-stream state (tracks, totals, agreed readings) across frames. The state
 * can be exported and imported so that a stream moved to another agent continues where it was.
 *
 * @param <S> the state type
 */
public interface StatefulTask<S> extends VisionTask {

    /** Fresh state for a stream seen for the first time. */
    S newState();

    /** Serialises the state (a stable format: agents of different versions exchange it). */
    byte[] exportState(S state);

    /** Rebuilds state from {@link #exportState} output. */
    S importState(byte[] data) throws TaskException;

    /** Frees native resources held by the state (background models and such). */
    default void disposeState(S state) {
    }

    /**
     * Memory the state holds, in bytes: its images (background models, latest frames, canvases:
     * rows x cols x element size) and a fair estimate of its Java objects. The agent bounds each
     * stream's and all streams' state by it ({@code AgentConfig.maxStreamStateBytes},
     * {@code maxStateBytes}). Called from the stream's lane, between frames.
     */
    default long stateBytes(S state) {
        return 0;
    }

    /** Cumulative counters of the state, for hand-over records (e.g. "door.in" -> 12). */
    default Map<String, Long> counters(S state) {
        return Map.of();
    }

    Class<S> stateType();
}
