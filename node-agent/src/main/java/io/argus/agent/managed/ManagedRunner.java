package io.argus.agent.managed;

import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.CoordinatorLink;
import io.argus.agent.record.StateClient;
import io.argus.agent.registry.OwnershipLease;
import io.argus.media.FfmpegSource;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.StreamDefinition;
import io.argus.protocol.v1.Code;
import io.github.resilience4j.core.IntervalFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>This class reads the source on its own thread; where the stream continues is
 * {@link ManagedResume}'s, numbering frames into the lane {@link ManagedFeed}'s, and applying and
 * publishing them in the lane {@link ManagedApply}'s.
 */
final class ManagedRunner {
    private static final Logger log = LoggerFactory.getLogger(ManagedRunner.class);
    /** A recording's frames waiting in or running from the stream's lane at once. */
    static final int IN_FLIGHT = 2;
    /** How often a runner whose lease lapsed looks again. */
    static final long LEASE_POLL_MS = 20;
    /** How often a replay waiting for the event stores looks again ({@link #awaitStores}). */
    static final long STORE_POLL_MS = 50;
    /** What {@code stream list} shows of a replay segment that waits for the event stores. */
    static final String WAITING_FOR_STORES = "waiting for the event stores to take its events";

    private final StreamDefinition def;
    private final AgentRuntime rt;
    private final ClusterView view;
    private final OwnershipLease lease;
    private final Supplier<SourcePolicy> policy;
    private final long epoch;
    private final Thread thread;
    /** Reopening a failed source, and asking for the checkpoint ({@link ManagedRetryConfig}). */
    private final ManagedRetryConfig retryConfig;
    private final IntervalFunction retry;
    /** Where the stream's state goes ({@link ManagedStatusReporter}). */
    private final ManagedStatusReporter status;
    /** A file or folder, given up after {@link ManagedRetryConfig#failAfter()} failures in a row. */
    private final boolean recording;
    /** Whether the runner runs, whether a frame was not applied: shared with its lane jobs. */
    private final RunFlags flags = new RunFlags();
    private final ManagedResume resume;
    private final ManagedFeed feed;
    /** A recording that does not loop was read to its end: nothing more to do here. */
    private volatile boolean finished;
    /** The source failed {@link ManagedRetryConfig#failAfter()} times in a row: given up here. */
    private volatile boolean failed;
    private volatile @Nullable FrameSource source;
    /**
     * Called when the runner's thread ends, whatever the reason: a runner that ended on its own
     * without finishing (it resumed from a lapsed lease, say) is started again by the next
     * reconciliation, which must not wait for an unrelated change of the cluster view.
     */
    private final Runnable onExit;
    /** Shared by the agent's runners: replay segments read at once here ({@link ManagedStreams}). */
    private final Semaphore replaySlots;
    /** The sequence this runner last continued from (0: fresh state), -1 before it has. */
    private volatile long resumedFrom = -1;

    ManagedRunner(StreamDefinition def, AgentRuntime rt, ClusterView view, StateClient states, OwnershipLease lease,
                  long epoch, Supplier<SourcePolicy> policy, ManagedStatusReporter status, Semaphore replaySlots,
                  Runnable onExit) {
        this.def = def;
        this.onExit = onExit;
        this.replaySlots = replaySlots;
        this.status = status;
        this.retryConfig = rt.config().managedRetry();
        this.retry = IntervalFunction.ofExponentialBackoff(retryConfig.initialMs(), 2.0, retryConfig.maxMs());
        String src = Objects.requireNonNull(def.source(), "source"); // managed streams have one
        this.recording = !Sources.isUrl(src) && !src.startsWith("camera:");
        this.policy = policy;
        this.rt = rt;
        this.view = view;
        this.lease = lease;
        this.epoch = epoch;
        long created = view.run(def.id());
        long run = created > 0 ? created : Math.max(1, def.createdAtMs());
        this.resume = new ManagedResume(def, rt, states, epoch, run, retry, flags,
                detail -> report(ManagedState.STARTING, detail, 0, 0));
        this.feed = new ManagedFeed(def, rt, view, lease, epoch, flags);
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
        return thread.isAlive() || flags.running;
    }

    boolean finished() {
        return finished;
    }

    /** Read to its end, or given up: either way, nothing more to do here until the stream changes. */
    boolean done() {
        return finished || failed;
    }

    void start() {
        report(ManagedState.STARTING, null, 0, 0);
        thread.start();
    }

    /** Tells the cluster the stream's state, while this runner still runs it. */
    private void report(ManagedState state, @Nullable String error, long nextAttemptAtMs, int failures) {
        if (flags.running) {
            status.report(def.id(), new ManagedStatus(rt.agentId(), epoch, state, error, nextAttemptAtMs, failures,
                    System.currentTimeMillis(), resumedFrom));
        }
    }

    /**
     * After a failure of the source: RETRYING with when the next attempt is, or, for a recording
     * that failed {@link ManagedRetryConfig#failAfter()} times in a row, FAILED.
     *
     * @return the pause before the next attempt, or -1 when the runner gives up
     */
    private long failure(int failures, String error) {
        if (recording && failures >= retryConfig.failAfter()) {
            log.error("managed stream {}: giving up after {} failures in a row: {}", def.id(), failures, error);
            report(ManagedState.FAILED, error, 0, failures);
            failed = true;
            return -1;
        }
        long wait = retry.apply(failures);
        report(ManagedState.RETRYING, error, System.currentTimeMillis() + wait, failures);
        return wait;
    }

    void stop() {
        flags.running = false;
        thread.interrupt();
        FrameSource s = source;
        if (s != null) {
            s.close();
        }
    }

    private void run() {
        int failures = 0;
        try {
            while (flags.running) {
                flags.broken = false;
                // a replay segment takes its slot before it fetches and imports its checkpoint
                if (!awaitReplaySlot() || !awaitLease() || !open()) {
                    break;
                }
                Optional<String> refusal = refusal();
                if (refusal.isPresent()) {
                    rt.metrics().rejected(Code.PERMISSION_DENIED, "source");
                    // never given up: the administrator may allow it meanwhile
                    long wait = retry.apply(++failures);
                    report(ManagedState.RETRYING, "not allowed by the cluster's source policy: " + refusal.get(),
                            System.currentTimeMillis() + wait, failures);
                    log.error("managed stream {}: its source is not allowed here ({}); looking again in {} ms",
                            def.id(), refusal.get(), wait);
                    releaseReplaySlot(); // other segments may run meanwhile
                    Thread.sleep(wait);
                    continue;
                }
                try (FrameSource s = Sources.open(Objects.requireNonNull(def.source(), "source"), def.loop())) {
                    source = s;
                    failures = 0;
                    report(ManagedState.RUNNING, null, 0, 0);
                    if (!s.live() && !position(s, feed.sequence())) {
                        log.info("managed stream {}: its checkpoint is at the end of {}", def.id(), def.source());
                        report(ManagedState.FINISHED, null, 0, 0);
                        finished = true;
                        break;
                    }
                    pump(s);
                    if (flags.broken) {
                        log.info("managed stream {}: a frame was not applied here; resuming from the checkpoint", def.id());
                        continue;
                    }
                    if (!def.loop() && !s.live() && flags.running) {
                        // its last frames leave the lane first: one not applied there (a lapsed
                        // lease, a refusal) means resuming from the checkpoint, not finishing
                        feed.awaitLane();
                        if (flags.broken) {
                            log.info("managed stream {}: a last frame was not applied here; resuming from the checkpoint",
                                    def.id());
                            continue;
                        }
                        log.info("managed stream {}: end of {}", def.id(), def.source());
                        report(ManagedState.FINISHED, null, 0, 0);
                        finished = true;
                        break;
                    }
                } catch (IOException e) {
                    if (!flags.running) {
                        break;
                    }
                    releaseReplaySlot();
                    String error = String.valueOf(e.getMessage());
                    long wait = failure(++failures, error);
                    if (wait < 0) {
                        break;
                    }
                    log.warn("managed stream {}: source failed ({}); retrying in {} ms", def.id(), error, wait);
                    Thread.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            feed.awaitLane();
            flags.running = false;
            releaseReplaySlot();
            onExit.run();
        }
    }

    private boolean holdsReplaySlot;

    /**
     * A replay segment waits for one of the agent's replay slots before it fetches its checkpoint and
     * opens its file (STARTING, saying so), and keeps it until it finishes, fails or stops, or its
     * source is refused by the policy; any other stream goes on at once.
     *
     * @return false when the runner was stopped meanwhile
     */
    private boolean awaitReplaySlot() throws InterruptedException {
        if (def.replay() == null || holdsReplaySlot) {
            return flags.running;
        }
        report(ManagedState.STARTING, "waiting for a free worker: " + replaySlots.getQueueLength()
                + " other replay segment(s) waiting here", 0, 0);
        boolean got = false;
        while (flags.running && !got) {
            got = replaySlots.tryAcquire(100, TimeUnit.MILLISECONDS); // a stopped runner must not keep waiting
        }
        holdsReplaySlot = got;
        if (!flags.running) {
            releaseReplaySlot(); // stopped just as the slot came: it goes back
            return false;
        }
        return true;
    }

    private void releaseReplaySlot() {
        if (holdsReplaySlot) {
            holdsReplaySlot = false;
            replaySlots.release();
        }
    }

    /**
     * Puts a recording at the frame with the given sequence: a replay segment seeks (FFmpeg decodes
     * from the keyframe before it), any other recording reads from its start ({@link #skipTo}).
     *
     * @return false when there is no such frame (read to its end, or past its segment)
     */
    private boolean position(FrameSource s, long sequence) throws IOException {
        StreamDefinition.ReplaySegment seg = def.replay();
        if (seg == null) {
            return skipTo(s, sequence);
        }
        long frame = seg.warmUpStart() + sequence;
        if (frame >= seg.end()) {
            return false;
        }
        if (!(s instanceof FfmpegSource file)) {
            throw new IOException("a replay segment needs a video file FFmpeg can seek in: " + def.source());
        }
        file.seekTo(frame);
        return true;
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
     * Continues from the coordinators' checkpoint ({@link ManagedResume}) and sets the sequence to
     * continue from.
     *
     * @return false when the runner was stopped meanwhile
     */
    private boolean open() throws InterruptedException {
        long next = resume.open();
        if (next < 0) {
            return false;
        }
        feed.restartAt(next);
        resumedFrom = next;
        return true;
    }

    /**
     * Reads up to a recording's position: the number of frames read since the stream began,
     * across loops. Decoding them, not seeking by time, so the position is exact in every codec.
     *
     * @return false when the source ends before it (a recording already read to its end)
     */
    private boolean skipTo(FrameSource s, long position) throws IOException {
        for (long i = 0; i < position && flags.running; i++) {
            if (s.next() == null) {
                return false;
            }
        }
        return true;
    }

    private void pump(FrameSource s) throws IOException, InterruptedException {
        boolean live = s.live();
        StreamDefinition.ReplaySegment seg = def.replay();
        // a replay runs as fast as the agent can; other recordings at their own rate, as a camera would
        double fps = live || seg != null ? 0 : (s.frameRate() > 0 ? s.frameRate() : 10);
        long start = System.nanoTime();
        long n = 0;
        VideoFrame f;
        while (flags.running && !flags.broken && (seg == null || seg.warmUpStart() + feed.sequence() < seg.end())
                && (f = s.next()) != null) {
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
            if (seg != null && !awaitStores()) {
                return;
            }
            if (live) {
                feed.offerLive(f);
            } else if (!feed.submitRecorded(f)) {
                return;
            }
        }
    }

    /**
     * A replay reads as fast as the agent goes, faster than the event stores may take its events
     * (a coordinator restarting, a slow shared store); past their queues' bound the oldest events
     * would be dropped, and a crossing lost from the durable record. Nothing forces a replay to keep
     * pace, so it waits from {@link CoordinatorLink#BACKLOG_PAUSE_PERCENT} of a store's queue bound
     * until every store is below {@link CoordinatorLink#BACKLOG_RESUME_PERCENT}, or while no store
     * would receive its events ({@code Recorder.backlogged}); {@code stream list} says so meanwhile.
     * Returns false when the runner is stopped or the stream leaves this agent meanwhile.
     */
    private boolean awaitStores() throws InterruptedException {
        if (!rt.recorder().backlogged(CoordinatorLink.BACKLOG_PAUSE_PERCENT)) {
            return true;
        }
        log.info("managed stream {}: the event stores are behind; the replay waits for them", def.id());
        report(ManagedState.RUNNING, WAITING_FOR_STORES, 0, 0);
        long since = System.nanoTime();
        while (rt.recorder().backlogged(CoordinatorLink.BACKLOG_RESUME_PERCENT)) {
            if (!flags.running || !owned()) {
                return false;
            }
            Thread.sleep(STORE_POLL_MS);
        }
        log.info("managed stream {}: the event stores caught up after {} ms; the replay goes on", def.id(),
                (System.nanoTime() - since) / 1_000_000);
        report(ManagedState.RUNNING, null, 0, 0);
        return true;
    }

    /** Still assigned here under the epoch this runner started with. */
    private boolean owned() {
        if (view.epoch(def.id(), rt.agentId()) != epoch || rt.admission().fenced()) {
            log.info("managed stream {}: no longer owned here under epoch {}; stopping", def.id(), epoch);
            flags.running = false;
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
            return flags.running;
        }
        log.warn("managed stream {}: ownership not confirmed by ZooKeeper; applying nothing until it is", def.id());
        while (flags.running && !lease.valid()) {
            Thread.sleep(LEASE_POLL_MS);
        }
        flags.broken = true;
        return flags.running;
    }
}
