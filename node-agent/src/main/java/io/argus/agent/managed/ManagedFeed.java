package io.argus.agent.managed;

import io.argus.agent.net.AgentRuntime;
import io.argus.agent.registry.OwnershipLease;
import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamConfig;
import io.argus.cluster.StreamDefinition;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameRequest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers the frames a {@link ManagedRunner} read and hands them to the stream's lane, where
 * {@link ManagedApply} applies them: at most {@link ManagedRunner#IN_FLIGHT} at once. A recording's
 * frame waits for room; a live frame that finds none is dropped before it is numbered, and the next
 * one carries the gap. Used by the runner's thread only, but for the permits its lane jobs return.
 */
final class ManagedFeed {
    private final StreamDefinition def;
    private final AgentRuntime rt;
    private final ClusterView view;
    private final RunFlags flags;
    private final AtomicLong dropped = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(ManagedRunner.IN_FLIGHT);
    private final ManagedApply apply;
    /**
     * The sequence of the next frame (recordings: also its position in the source; replay segments:
     * its position minus the segment's warm-up start).
     */
    private long sequence;
    private int gapFrames;
    private long lastCaptureUs = -1;

    ManagedFeed(StreamDefinition def, AgentRuntime rt, ClusterView view, OwnershipLease lease, long epoch, RunFlags flags) {
        this.def = def;
        this.rt = rt;
        this.view = view;
        this.flags = flags;
        this.apply = new ManagedApply(def, rt, view, lease, epoch, inFlight, flags);
    }

    /** The sequence of the next frame (recordings: also its position in the source). */
    long sequence() {
        return sequence;
    }

    /** Continues at {@code next} (from a checkpoint, or 0), with no gap carried over. */
    void restartAt(long next) {
        sequence = next;
        gapFrames = 0;
        lastCaptureUs = -1;
    }

    /** A recording's frame: waits for room in the lane; never dropped. */
    boolean submitRecorded(VideoFrame f) throws InterruptedException {
        // each read once: the version must be that of the parameters the frame carries
        ClusterView.Versioned<StreamConfig> defaults = view.defaults();
        ClusterView.Versioned<StreamConfig> config = view.config(def.id());
        FrameRequest req = ManagedFrames.request(def, defaults.value(), config.value(),
                ClusterView.configVersion(config, defaults), f, sequence, false, 0, 0);
        while (flags.running && !flags.broken) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            String refusal = rt.lanes().submit(def.id(), apply.job(req));
            if (refusal == null) {
                sequence++;
                return true;
            }
            inFlight.release();
            Thread.sleep(ManagedRunner.LEASE_POLL_MS); // the lane's queue is full: the recording waits
        }
        return false;
    }

    /** A live frame: taken if the lane has room, otherwise dropped here, before it is numbered. */
    void offerLive(VideoFrame f) {
        long capture = Envelopes.nowMicros();
        if (!inFlight.tryAcquire()) {
            dropLive();
            return;
        }
        ClusterView.Versioned<StreamConfig> defaults = view.defaults();
        ClusterView.Versioned<StreamConfig> config = view.config(def.id());
        FrameRequest req = ManagedFrames.request(def, defaults.value(), config.value(),
                ClusterView.configVersion(config, defaults), f, sequence, true, gapFrames,
                lastCaptureUs < 0 || gapFrames == 0 ? 0 : capture - lastCaptureUs);
        if (rt.lanes().submit(def.id(), apply.job(req)) != null) {
            inFlight.release();
            dropLive();
            return;
        }
        sequence++;
        gapFrames = 0;
        lastCaptureUs = req.getCaptureTimeUs();
    }

    private void dropLive() {
        gapFrames++;
        dropped.incrementAndGet();
        rt.metrics().rejected(Code.OVERLOADED, "managed-drop");
    }

    /** Lets the frames in the lane finish before the runner counts as stopped. */
    void awaitLane() {
        try {
            if (inFlight.tryAcquire(ManagedRunner.IN_FLIGHT, 5, TimeUnit.SECONDS)) {
                inFlight.release(ManagedRunner.IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
