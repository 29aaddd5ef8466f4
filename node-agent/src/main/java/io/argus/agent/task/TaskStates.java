package io.argus.agent.task;

import io.argus.task.api.TaskException;

/**
 * Where a frame's tasks find their stream's state. The agent's state store implements it
 * ({@code io.argus.agent.state.StreamState}); tasks see only this, so the task package does not depend on how state is
 * kept, checkpointed or evicted.
 */
public interface TaskStates {
    /** The stream's state for a stateful task, created (or restored from a checkpoint) on first use. */
    <S> S get(StatefulTask<S> task) throws TaskException;
}
