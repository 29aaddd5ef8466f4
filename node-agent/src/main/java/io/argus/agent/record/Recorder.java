package io.argus.agent.record;

import io.argus.agent.state.StreamState;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Where the events of processed frames go: to the coordinators, or nowhere without a cluster. */
public interface Recorder {
    Recorder NONE = r -> {
    };

    void record(FrameResult result);

    /**
     * The last sequence of the checkpoint of the stream's run {@code run} that every coordinator
     * holds (with the events of every frame up to it), or -1 when one holds none of that run. See
     * {@link CoordinatorLink#confirmedCheckpoint}.
     */
    default long confirmedCheckpoint(String stream, long run) {
        return -1;
    }

    /** Called in the stream's lane after each frame applied to its state (checkpoints by frame count). */
    default void applied(StreamState state) {
    }

    /**
     * Whether the event stores are so far behind that a producer free to wait (a replayed
     * recording, read as fast as the agent goes) should, before the stores' queues drop events:
     * one has {@code percent}% of its bound waiting, or none would receive them
     * ({@link CoordinatorLink#backlogged}). Never for a recorder without coordinators.
     */
    default boolean backlogged(int percent) {
        return false;
    }

    /**
     * This agent's ownership epoch for the stream (the ZooKeeper mzxid of its assignment when it
     * names this agent), or 0 when no assignment names it (no cluster, or not placed yet).
     */
    default long epoch(String stream) {
        return 0;
    }

    /**
     * A recorder that sends events and checkpoints to the coordinators.
     *
     * @param epochs per stream, this agent's ownership epoch (0 when unknown); events are stamped
     *               with it unless their result already carries the epoch it was applied under
     */
    static Recorder to(CoordinatorLink link, Checkpointer checkpointer, ToLongFunction<String> epochs) {
        return new Recorder() {
            @Override
            public void applied(StreamState state) {
                checkpointer.afterFrame(state);
            }

            @Override
            public long epoch(String stream) {
                return epochs.applyAsLong(stream);
            }

            @Override
            public void record(FrameResult r) {
                long epoch = r.getEpoch() > 0 ? r.getEpoch() : epochs.applyAsLong(r.getStreamId());
                List<Event> events = new ArrayList<>();
                for (TaskResult t : r.getTasksList()) {
                    for (Event e : t.getEventsList()) {
                        events.add(epoch > 0 ? e.toBuilder().setEpoch(epoch).build() : e);
                    }
                }
                link.publish(events);
            }

            @Override
            public long confirmedCheckpoint(String stream, long run) {
                return link.confirmedCheckpoint(stream, run);
            }

            @Override
            public boolean backlogged(int percent) {
                return link.backlogged(percent);
            }
        };
    }
}
