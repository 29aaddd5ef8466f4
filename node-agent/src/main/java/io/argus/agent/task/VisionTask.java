package io.argus.agent.task;

import io.argus.protocol.v1.TaskResult;

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
     * Checks parameters without an image, on the Netty event loop: must be cheap and must not
     * block. Throws {@code BAD_REQUEST} naming the offending parameter.
     */
    default void validate(Map<String, String> params) throws TaskException {
    }

    /** Runs on a worker thread, on a decoded BGR frame that the caller owns. */
    TaskResult run(TaskContext ctx) throws TaskException;

    /** Frees shared native resources at shutdown. */
    @Override
    default void close() {
    }
}
