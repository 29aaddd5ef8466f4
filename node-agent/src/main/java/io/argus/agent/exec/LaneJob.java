package io.argus.agent.exec;

import io.argus.protocol.v1.Code;

/** Work for a {@link StreamLanes} lane: run it, or abort it with a typed reason if it cannot run. */
public interface LaneJob {
    void run();

    void abort(Code code, String reason);
}
