package io.argus.agent.managed;

import io.argus.agent.exec.LaneJob;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.registry.OwnershipLease;
import io.argus.agent.state.Sequencer;
import io.argus.agent.state.StreamState;
import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamDefinition;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Semaphore;

/**
 * The lane side of a managed stream: applies each frame the {@link ManagedRunner} read, if it is the
 * next one and this agent still owns the stream under the runner's epoch, and publishes the result
 * (viewers, the recorder, which also checkpoints). A frame that was not applied marks the run
 * broken, so that the frames after it are not applied either.
 */
final class ManagedApply {
    private static final Logger log = LoggerFactory.getLogger(ManagedApply.class);
    /** The attribute naming the segment of a replayed recording an event comes from ({@link #forRecord}). */
    static final String SEGMENT_ATTRIBUTE = "segment";

    private final StreamDefinition def;
    private final AgentRuntime rt;
    private final ClusterView view;
    private final OwnershipLease lease;
    private final long epoch;
    /** The runner's frames in or running from the lane; each job gives its permit back. */
    private final Semaphore inFlight;
    private final RunFlags flags;

    ManagedApply(StreamDefinition def, AgentRuntime rt, ClusterView view, OwnershipLease lease, long epoch,
                 Semaphore inFlight, RunFlags flags) {
        this.def = def;
        this.rt = rt;
        this.view = view;
        this.lease = lease;
        this.epoch = epoch;
        this.inFlight = inFlight;
        this.flags = flags;
    }

    /** The lane job for one frame; its permit of {@code inFlight} is taken already. */
    LaneJob job(FrameRequest request) {
        long received = System.nanoTime();
        return new LaneJob() {
            @Override
            public void run() {
                try {
                    apply(request, received);
                } finally {
                    inFlight.release();
                    rt.load().record();
                }
            }

            @Override
            public void abort(Code code, String reason) {
                flags.broken = true;
                inFlight.release();
            }

            /** Stuck on a worker: resume from the checkpoint; the permit comes back if the worker does. */
            @Override
            public void abandon(Code code, String reason) {
                flags.broken = true;
            }
        };
    }

    /** In the stream's lane: applies the frame if it is the next one and this agent still owns the stream. */
    private void apply(FrameRequest request, long received) {
        if (flags.broken || !flags.running || (lease != null && !lease.valid())
                || view.epoch(def.id(), rt.agentId()) != epoch) {
            flags.broken = true; // not applied: the frames after it must not be either
            return;
        }
        StreamState st = rt.states().acquire(def.id(), request.getSourceIndex());
        Sequencer order = st.sequencer();
        if (order.check(request.getSequence()) != Sequencer.Verdict.APPLY) {
            log.warn("managed stream {}: frame {} is not the next one ({}); resuming from the checkpoint", def.id(),
                    request.getSequence(), order.next());
            flags.broken = true;
            return;
        }
        FrameResult r;
        try {
            rt.pipeline().validate(request);
            r = rt.pipeline().process(request, received,
                    (result, frame) -> rt.viewers().publish(def.id(), result.toBuilder().setEpoch(epoch).build(), frame));
        } catch (io.argus.agent.task.FrameRefused e) {
            // nothing applied (memory full): the frames after it must not be either
            log.warn("managed stream {} frame {} refused: {}", def.id(), request.getSequence(), e.getMessage());
            flags.broken = true;
            return;
        } catch (Exception e) {
            // decided by the frame itself, or a task failure that would recur: moved past, as for clients
            log.debug("managed stream {} frame {} failed: {}", def.id(), request.getSequence(), e.toString());
            order.applied(request.getSequence(), Envelope.getDefaultInstance());
            rt.recorder().applied(st);
            return;
        }
        order.applied(request.getSequence(), Envelope.getDefaultInstance());
        if (!request.getWarmUp()) {
            // a replay segment's warm-up events are the previous segment's to record
            rt.recorder().record(forRecord(r.toBuilder().setEpoch(epoch).setGapFrames(request.getGapFrames()).build()));
        }
        rt.recorder().applied(st);
    }

    /**
     * A replay segment's events are recorded under the recording's name, so that its totals and
     * per-minute counts are the recording's, and stay fenced by this segment's assignment
     * ({@code Event.epoch_stream_id}). Their ids keep the segment's stream name: unique across
     * segments, and the same when a segment is run again from its checkpoint. Each segment's tracker
     * numbers its own tracks, so an event also names its segment (attribute {@code segment}): a
     * track of the recording is the pair (segment, track), never the track number alone.
     */
    private FrameResult forRecord(FrameResult r) {
        StreamDefinition.ReplaySegment seg = def.replay();
        if (seg == null) {
            return r;
        }
        FrameResult.Builder b = r.toBuilder();
        for (TaskResult.Builder t : b.getTasksBuilderList()) {
            for (Event.Builder e : t.getEventsBuilderList()) {
                e.setStreamId(seg.recording()).setEpochStreamId(def.id()).setEpoch(epoch)
                        .putAttributes(SEGMENT_ATTRIBUTE, Integer.toString(seg.index()));
            }
        }
        return b.build();
    }
}
