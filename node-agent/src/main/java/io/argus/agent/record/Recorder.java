package io.argus.agent.record;

import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskResult;

import java.util.ArrayList;
import java.util.List;

/** Where the events of processed frames go: to the coordinators, or nowhere without a cluster. */
public interface Recorder {
    Recorder NONE = r -> {
    };

    void record(FrameResult result);

    /**
     * The newest sequence of the stream whose state every coordinator acknowledged in a
     * checkpoint (with the events of every frame up to it), or -1 when none has.
     */
    default long confirmedCheckpoint(String stream) {
        return -1;
    }

    /** Called in the stream's lane after each frame applied to its state (checkpoints by frame count). */
    default void applied(io.argus.agent.state.StreamState state) {
    }

    static Recorder to(CoordinatorLink link, Checkpointer checkpointer) {
        return new Recorder() {
            @Override
            public void applied(io.argus.agent.state.StreamState state) {
                checkpointer.afterFrame(state);
            }

            @Override
            public void record(FrameResult r) {
                List<Event> events = new ArrayList<>();
                for (TaskResult t : r.getTasksList()) {
                    events.addAll(t.getEventsList());
                }
                link.publish(events);
            }

            @Override
            public long confirmedCheckpoint(String stream) {
                return link.confirmedCheckpoint(stream);
            }
        };
    }
}
