package io.argus.agent.managed;

import io.argus.agent.exec.LaneJob;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.StateClient;
import io.argus.agent.registry.OwnershipLease;
import io.argus.agent.state.Sequencer;
import io.argus.agent.state.StreamState;
import io.argus.agent.task.FrameRefused;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.SourcePolicy;
import io.argus.protocol.cluster.StreamDefinition;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StateBundle;
import io.github.resilience4j.core.IntervalFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Pulls one managed stream's source and applies its frames to the stream's state here, in
 * sequence order, as the owner of one ownership epoch (the assignment it was started for).
 *
 * <p><b>Start and hand-over.</b> The stream continues from the coordinators' newest checkpoint of
 * the stream's run: the state is imported and a recording is read on from the checkpoint's
 * position (its {@code last_sequence} + 1 frames in), never from frame 0. Frames the previous owner
 * applied after that checkpoint are applied again here; their events have the same ids, and the
 * store keeps each once. While the coordinators cannot be reached the stream does not start.
 *
 * <p><b>Recordings wait, live sources thin.</b> A recording's frame waits for the agent (at most
 * {@link #IN_FLIGHT} frames in its lane): the same file always gives the same frames. A live
 * frame that finds the lane full is dropped before it gets a sequence number, and the next one
 * carries the gap (frames and capture time skipped).
 *
 * <p><b>Fencing.</b> Before each frame, and again in the lane before it is applied, the runner
 * checks that its assignment still names this agent with the same epoch and that the
 * {@link OwnershipLease} is valid. If the assignment moved, the runner stops. If the lease lapsed
 * (a frozen process that woke up, a lost connection) no frame is applied until it is renewed, and
 * the stream then resumes from the coordinators' checkpoint, because another agent may have run it
 * in the meantime.
 */
final class ManagedRunner {
    private static final Logger log = LoggerFactory.getLogger(ManagedRunner.class);
    /** A recording's frames waiting in or running from the stream's lane at once. */
    static final int IN_FLIGHT = 2;
    /** Reopening a failed source, and asking for the checkpoint: from 1 s doubling to 30 s. */
    static final long RETRY_INITIAL_MS = 1_000;
    static final long RETRY_MAX_MS = 30_000;
    /** How often a runner whose lease lapsed looks again. */
    static final long LEASE_POLL_MS = 20;

    private final StreamDefinition def;
    private final AgentRuntime rt;
    private final ClusterView view;
    private final StateClient states;
    private final OwnershipLease lease;
    private final Supplier<SourcePolicy> policy;
    private final long epoch;
    private final long run;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final IntervalFunction retry = IntervalFunction.ofExponentialBackoff(RETRY_INITIAL_MS, 2.0, RETRY_MAX_MS);
    private volatile boolean running = true;
    /** A recording that does not loop was read to its end: nothing more to do here. */
    private volatile boolean finished;
    /** Set when a frame was not applied (fenced in the lane, aborted): resume from the checkpoint. */
    private volatile boolean broken;
    private volatile @Nullable FrameSource source;
    /** The sequence of the next frame (recordings: also its position in the source). */
    private long sequence;
    private int gapFrames;
    private long lastCaptureUs = -1;

    ManagedRunner(StreamDefinition def, AgentRuntime rt, ClusterView view, StateClient states, OwnershipLease lease,
                  long epoch, Supplier<SourcePolicy> policy) {
        this.def = def;
        this.policy = policy;
        this.rt = rt;
        this.view = view;
        this.states = states;
        this.lease = lease;
        this.epoch = epoch;
        long created = view.run(def.id());
        this.run = created > 0 ? created : Math.max(1, def.createdAtMs());
        this.thread = new Thread(this::run, "argus-managed-" + def.id());
        thread.setDaemon(true);
    }

    StreamDefinition definition() {
        return def;
    }

    long epoch() {
        return epoch;
    }

    boolean alive() {
        return thread.isAlive() || running;
    }

    boolean finished() {
        return finished;
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
        FrameSource s = source;
        if (s != null) {
            s.close();
        }
    }

    private void run() {
        int failures = 0;
        try {
            while (running) {
                broken = false;
                if (!awaitLease() || !open()) {
                    break;
                }
                Optional<String> refusal = refusal();
                if (refusal.isPresent()) {
                    rt.metrics().rejected(Code.PERMISSION_DENIED, "source");
                    long wait = retry.apply(++failures);
                    log.error("managed stream {}: its source is not allowed here ({}); looking again in {} ms",
                            def.id(), refusal.get(), wait);
                    Thread.sleep(wait); // the administrator may allow it meanwhile
                    continue;
                }
                try (FrameSource s = Sources.open(Objects.requireNonNull(def.source(), "source"), def.loop())) {
                    source = s;
                    failures = 0;
                    if (!s.live() && !skipTo(s, sequence)) {
                        log.info("managed stream {}: its checkpoint is at the end of {}", def.id(), def.source());
                        finished = true;
                        break;
                    }
                    pump(s);
                    if (broken) {
                        log.info("managed stream {}: a frame was not applied here; resuming from the checkpoint", def.id());
                        continue;
                    }
                    if (!def.loop() && !s.live() && running) {
                        log.info("managed stream {}: end of {}", def.id(), def.source());
                        finished = true;
                        break;
                    }
                } catch (IOException e) {
                    if (!running) {
                        break;
                    }
                    long wait = retry.apply(++failures);
                    log.warn("managed stream {}: source failed ({}); retrying in {} ms", def.id(), e.getMessage(), wait);
                    Thread.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            awaitLane();
            running = false;
        }
    }

    /**
     * Why this stream's source may not be opened, by the cluster's {@link SourcePolicy}; a file's
     * symbolic links are resolved first. The coordinator checked when the stream was created; this
     * check is for definitions written by other means, and for a policy narrowed since.
     */
    private Optional<String> refusal() {
        try {
            Path real = null;
            String src = Objects.requireNonNull(def.source(), "source"); // managed streams have one
            if (src.startsWith("/")) {
                try {
                    real = Path.of(src).toRealPath();
                } catch (IOException | RuntimeException e) {
                    real = null; // missing: the lexical check decides, and opening it fails as before
                }
            }
            return policy.get().checkOpen(src, real);
        } catch (IllegalStateException e) {
            return Optional.of(String.valueOf(e.getMessage())); // the policy could not be read: fail closed
        }
    }

    /**
     * Opens the stream's state at the coordinators' newest checkpoint of this run (in the lane,
     * between frames) and sets the sequence to continue from.
     *
     * @return false when the runner was stopped meanwhile
     */
    private boolean open() throws InterruptedException {
        StateBundle bundle = null;
        for (int attempt = 1; running; attempt++) {
            StateClient.Lookup found = states.lookup(def.id());
            if (found instanceof StateClient.Lookup.Found f) {
                if (f.bundle().getRun() == run && f.bundle().getHasLastSequence()) {
                    bundle = f.bundle();
                } else {
                    log.info("managed stream {}: the stored checkpoint is of another run; starting at frame 0", def.id());
                }
                break;
            }
            if (found instanceof StateClient.Lookup.None) {
                break;
            }
            long wait = retry.apply(attempt);
            log.warn("managed stream {}: no coordinator answered for its checkpoint; asking again in {} ms", def.id(), wait);
            Thread.sleep(wait);
        }
        if (!running) {
            return false;
        }
        StateBundle from = bundle;
        long next = from == null ? 0 : from.getLastSequence() + 1;
        CountDownLatch opened = new CountDownLatch(1);
        String refused = rt.lanes().submit(def.id(), new LaneJob() {
            @Override
            public void run() {
                try {
                    if (from == null) {
                        rt.states().drop(def.id());
                    }
                    StreamState st = rt.states().acquire(def.id(), next - 1);
                    st.open(next, from, run);
                    st.epoch(epoch);
                } finally {
                    opened.countDown();
                }
            }

            @Override
            public void abort(Code code, String reason) {
                opened.countDown();
                broken = true;
            }
        });
        if (refused != null) {
            log.warn("managed stream {}: cannot open ({}); trying again", def.id(), refused);
            Thread.sleep(retry.apply(1));
            return running && open();
        }
        opened.await();
        if (broken) {
            return false;
        }
        sequence = next;
        gapFrames = 0;
        lastCaptureUs = -1;
        log.info("managed stream {}: {} at frame {} (epoch {}, run {})", def.id(),
                from == null ? "starting" : "continuing from the checkpoint of " + from.getAgentId(), next, epoch, run);
        return true;
    }

    /**
     * Reads up to a recording's position: the number of frames read since the stream began,
     * across loops. Decoding them, not seeking by time, so the position is exact in every codec.
     *
     * @return false when the source ends before it (a recording already read to its end)
     */
    private boolean skipTo(FrameSource s, long position) throws IOException {
        for (long i = 0; i < position && running; i++) {
            if (s.next() == null) {
                return false;
            }
        }
        return true;
    }

    private void pump(FrameSource s) throws IOException, InterruptedException {
        boolean live = s.live();
        double fps = live ? 0 : (s.frameRate() > 0 ? s.frameRate() : 10);
        long start = System.nanoTime();
        long n = 0;
        VideoFrame f;
        while (running && !broken && (f = s.next()) != null) {
            if (fps > 0) {
                long wait = start + (long) (n * 1e9 / fps) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            n++;
            if (!owned()) {
                return;
            }
            if (!awaitLease()) {
                return;
            }
            if (live) {
                offerLive(f);
            } else if (!submitRecorded(f)) {
                return;
            }
        }
    }

    /** Still assigned here under the epoch this runner started with. */
    private boolean owned() {
        if (view.epoch(def.id(), rt.agentId()) != epoch || rt.admission().fenced()) {
            log.info("managed stream {}: no longer owned here under epoch {}; stopping", def.id(), epoch);
            running = false;
            return false;
        }
        return true;
    }

    /**
     * Waits while the lease is lapsed. A lapse means another agent may have taken the stream: if
     * it was valid before, the stream resumes from the checkpoint rather than from its local state.
     *
     * @return false when the runner was stopped meanwhile
     */
    private boolean awaitLease() throws InterruptedException {
        if (lease == null || lease.valid()) {
            return running;
        }
        log.warn("managed stream {}: ownership not confirmed by ZooKeeper; applying nothing until it is", def.id());
        while (running && !lease.valid()) {
            Thread.sleep(LEASE_POLL_MS);
        }
        broken = true;
        return running;
    }

    /** A recording's frame: waits for room in the lane; never dropped. */
    private boolean submitRecorded(VideoFrame f) throws InterruptedException {
        FrameRequest req = ManagedFrames.request(def, view.defaults().value(), view.config(def.id()).value(),
                view.configVersion(def.id()), f, sequence, false, 0, 0);
        while (running && !broken) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            String refusal = rt.lanes().submit(def.id(), job(req));
            if (refusal == null) {
                sequence++;
                return true;
            }
            inFlight.release();
            Thread.sleep(LEASE_POLL_MS); // the lane's queue is full: the recording waits
        }
        return false;
    }

    /** A live frame: taken if the lane has room, otherwise dropped here, before it is numbered. */
    private void offerLive(VideoFrame f) {
        long capture = Envelopes.nowMicros();
        if (!inFlight.tryAcquire()) {
            dropLive();
            return;
        }
        FrameRequest req = ManagedFrames.request(def, view.defaults().value(), view.config(def.id()).value(),
                view.configVersion(def.id()), f, sequence, true, gapFrames,
                lastCaptureUs < 0 || gapFrames == 0 ? 0 : capture - lastCaptureUs);
        if (rt.lanes().submit(def.id(), job(req)) != null) {
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

    private LaneJob job(FrameRequest request) {
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
                broken = true;
                inFlight.release();
            }

            /** Stuck on a worker: resume from the checkpoint; the permit comes back if the worker does. */
            @Override
            public void abandon(Code code, String reason) {
                broken = true;
            }
        };
    }

    /** In the stream's lane: applies the frame if it is the next one and this agent still owns the stream. */
    private void apply(FrameRequest request, long received) {
        if (broken || !running || (lease != null && !lease.valid())
                || view.epoch(def.id(), rt.agentId()) != epoch) {
            broken = true; // not applied: the frames after it must not be either
            return;
        }
        StreamState st = rt.states().acquire(def.id(), request.getSourceIndex());
        Sequencer order = st.sequencer();
        if (order.check(request.getSequence()) != Sequencer.Verdict.APPLY) {
            log.warn("managed stream {}: frame {} is not the next one ({}); resuming from the checkpoint", def.id(),
                    request.getSequence(), order.next());
            broken = true;
            return;
        }
        FrameResult r;
        try {
            rt.pipeline().validate(request);
            r = rt.pipeline().process(request, received,
                    (result, frame) -> rt.viewers().publish(def.id(), result.toBuilder().setEpoch(epoch).build(), frame));
        } catch (FrameRefused e) {
            // nothing applied (memory full): the frames after it must not be either
            log.warn("managed stream {} frame {} refused: {}", def.id(), request.getSequence(), e.getMessage());
            broken = true;
            return;
        } catch (Exception e) {
            // decided by the frame itself, or a task failure that would recur: moved past, as for clients
            log.debug("managed stream {} frame {} failed: {}", def.id(), request.getSequence(), e.toString());
            order.applied(request.getSequence(), Envelope.getDefaultInstance());
            rt.recorder().applied(st);
            return;
        }
        order.applied(request.getSequence(), Envelope.getDefaultInstance());
        rt.recorder().record(r.toBuilder().setEpoch(epoch).setGapFrames(request.getGapFrames()).build());
        rt.recorder().applied(st);
    }

    /** Lets the frames in the lane finish before the runner counts as stopped. */
    private void awaitLane() {
        try {
            if (inFlight.tryAcquire(IN_FLIGHT, 5, TimeUnit.SECONDS)) {
                inFlight.release(IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
