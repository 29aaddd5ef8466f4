package io.argus.agent.exec;

import io.argus.protocol.v1.Code;

/** Work for a {@link StreamLanes} lane: run it, or abort it with a typed reason if it cannot run. */
public interface LaneJob {
    void run();

    void abort(Code code, String reason);

    /**
     * The job is still running on a worker that was given up as stuck: answer for it now. The
     * stuck thread may still use what the job holds (its image bytes), so this must free nothing
     * the running job reads; the job frees it itself if it ever returns. Default: {@link #abort}.
     */
    default void abandon(Code code, String reason) {
        abort(code, reason);
    }
}
