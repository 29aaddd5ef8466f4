package io.argus.agent.record;

import io.argus.agent.exec.LaneJob;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.state.CheckpointConfig;
import io.argus.agent.state.StreamState;
import io.argus.agent.state.StreamStateStore;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamTotals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Exports streams' state at a known frame and hands it to the coordinators (see
 * {@link CheckpointConfig} for when). An export runs in the stream's lane, between two of its
 * frames, so it holds the effects of exactly the frames up to its {@code last_sequence}.
 */
public final class Checkpointer {
    private final String agentId;
    private final StreamStateStore states;
    private final StreamLanes lanes;
    private final CoordinatorLink link;
    private final CheckpointConfig config;
    private final ToLongFunction<String> epochs;
    /** Per stream, the position (last sequence, or source index when unsequenced) of its last checkpoint. */
    private final Map<String, Long> checkpointed = new ConcurrentHashMap<>();

    public Checkpointer(String agentId, StreamStateStore states, StreamLanes lanes, CoordinatorLink link,
                        CheckpointConfig config) {
        this(agentId, states, lanes, link, config, s -> 0L);
    }

    /**
     * @param epochs per stream, this agent's ownership epoch when the stream's state does not name
     *               one (client streams: the assignment the agent sees when it checkpoints)
     */
    public Checkpointer(String agentId, StreamStateStore states, StreamLanes lanes, CoordinatorLink link,
                        CheckpointConfig config, ToLongFunction<String> epochs) {
        this.epochs = epochs;
        this.agentId = agentId;
        this.states = states;
        this.lanes = lanes;
        this.link = link;
        this.config = config;
    }

    public CheckpointConfig config() {
        return config;
    }

    /** Every stream that moved on since its last checkpoint, each through its lane. */
    public void all() {
        for (StreamState st : states.all()) {
            long seen = position(st);
            Long last = checkpointed.get(st.streamId());
            if (last != null && last == seen) {
                continue;
            }
            lanes.submit(st.streamId(), new LaneJob() {
                @Override
                public void run() {
                    now(st);
                }

                @Override
                public void abort(Code code, String reason) {
                    // shutting down: the close path takes its own last checkpoint
                }
            });
        }
    }

    /** Called in the stream's lane after each applied frame: a checkpoint when the frame count says so. */
    public void afterFrame(StreamState st) {
        if (config.everyFrames() == 0 || !st.sequencer().isOpen()) {
            return;
        }
        Long last = checkpointed.get(st.streamId());
        long applied = st.sequencer().lastApplied();
        if (last != null && applied < last) {
            // the stream was rewound to an older checkpoint (it came back here): count from there
            checkpointed.remove(st.streamId());
            last = null;
        }
        if (applied - (last == null ? -1 : last) >= config.everyFrames()) {
            now(st);
        }
    }

    /** Exports now; call only from the stream's lane. */
    void now(StreamState st) {
        long seen = position(st);
        long epoch = st.epoch() > 0 ? st.epoch() : epochs.applyAsLong(st.streamId());
        StateBundle bundle = st.export(agentId, Envelopes.nowMicros()).toBuilder().setEpoch(epoch).build();
        if (bundle.getTasksCount() == 0) {
            return;
        }
        checkpointed.put(st.streamId(), seen);
        link.checkpoint(StreamTotals.newBuilder().setStreamId(st.streamId()).putAllCounters(st.counters())
                .setState(bundle.toByteString()).setTimeUs(bundle.getExportedAtUs())
                .setLastSequence(bundle.getLastSequence()).setHasLastSequence(bundle.getHasLastSequence())
                .setRun(bundle.getRun()).setEpoch(epoch).build());
    }

    /** A sequenced stream's position is its last applied frame; others only have the source index. */
    private static long position(StreamState st) {
        return st.sequencer().isOpen() ? st.sequencer().lastApplied() : st.lastSourceIndex();
    }
}
