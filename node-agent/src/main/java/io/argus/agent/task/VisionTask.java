package io.argus.agent.task;

import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;

import java.util.Map;

/**
 * One operator of the agent's pipeline ("people", "text", "color", ...). Implementations are
 * shared by all worker threads: per-thread native resources go in a {@link WorkerLocal}, per-stream
 * state in {@link TaskContext#state}. Every {@code Mat} a task creates must be released before
 * {@link #run} returns (use {@code MatScope}).
 */
public interface VisionTask extends AutoCloseable {

    /** The name clients put in {@code TaskRequest.name}. */
    String name();

    /**
     * Checks parameters without an image, on a worker in the stream's lane (never on the event
     * loop: parameters are user input), and bounded by the task's own limits. Throws
     * {@code BAD_REQUEST} naming the offending parameter.
     */
    default void validate(Map<String, String> params) throws TaskException {
    }

    /**
     * Most pixels a frame may have for this task; a larger frame gets this task's result
     * {@code TOO_LARGE} (the frame's other tasks still run). The agent-wide image limit is the
     * default; tasks whose cost grows with the frame far beyond a decode's (people detection,
     * text reading) name a lower one, so that one frame cannot hold a worker for minutes.
     */
    default long maxPixels() {
        return Long.MAX_VALUE;
    }

    /**
     * Pixel budget of the heavy tasks: 3840 x 2160 (4K UHD), the largest video most IP cameras
     * send. The probe's 39.6 MP frame held a worker for 110-138 s in {@code people}.
     */
    long HEAVY_TASK_MAX_PIXELS = 3840L * 2160;

    /** Runs on a worker thread, on a decoded BGR frame that the caller owns. */
    TaskResult run(TaskContext ctx) throws TaskException;

    /** Frees shared native resources at shutdown. */
    @Override
    default void close() {
    }
}
