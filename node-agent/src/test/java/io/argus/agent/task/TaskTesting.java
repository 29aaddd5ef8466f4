package io.argus.agent.task;

import io.argus.agent.state.StreamStateStore;
import org.opencv.core.Mat;

import java.time.Duration;
import java.util.Map;

/** Runs a task directly on a Mat, as the pipeline would. */
public final class TaskTesting {
    private static final StreamStateStore STATES = new StreamStateStore(Duration.ofMinutes(5));

    private TaskTesting() {
    }

    public static TaskContext context(String stream, long index, Mat frame, Map<String, String> params) {
        return new TaskContext(stream, index, index, index * 100_000, frame, params, STATES.acquire(stream, index));
    }

    public static StreamStateStore states() {
        return STATES;
    }
}
