package io.argus.client;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream's conversation with the cluster: which agent it is on, what is in flight, what goes
 * again after a refusal or a failover. The parts around it have their own classes:
 * {@link StreamRegistration} (the stream's node in ZooKeeper), {@link AgentSelector} (where to
 * go), {@link RetryBackoff} (when to send again), {@link RefusalPolicy} (what a refusal does),
 * {@link FrameTimeouts} (when an unanswered frame is given up), {@link OpenPlan} (where a stream
 * with state opens, and with which checkpoint), {@link LiveThinning} (dropping live frames at the
 * source, with gaps), {@link ReplayBuffer} (frames since the last confirmed checkpoint) and
 * {@link InOrderDelivery} (results to the listener in order). The state machine that ties them to
 * one connection at a time is in three parts: {@link StreamRoute} (the agent and connection, and
 * moving the stream: failover, reassignment, hand-over), {@link HeldFrames} (the send window and
 * replay: sending in order, retries, timeouts, delivery) and {@link AnswerHandler} (results and
 * refusals). This class is the API and the wiring; {@link FrameRequests} builds each frame's request.
 *
 * <p>Guarantees, for every submitted frame: the listener gets exactly one {@link StreamResult},
 * in submission order. A frame whose agent dies, drains or stops answering is resent to the next
 * agent the router offers, up to {@code maxAttempts} sends; an answer that arrives late from the
 * old agent is dropped because the frame was already delivered. Deterministic refusals
 * (bad image, unknown task, too large) are delivered as failures without resending.
 *
 * <p>A stream whose tasks keep state is <em>sequenced</em> (protocol/README.md): it is opened on
 * each connection at a known sequence, refusals are resent in order and never move it, and after
 * a failover the new agent restores the newest checkpoint and every frame after it is sent again
 * from the {@link ReplayBuffer}, so its state continues exactly (RELIABILITY.md, "What
 * exactly-once means in Argus").
 *
 * <p>Threading: {@link #submit} is called by the source's thread and blocks while the window is
 * full (backpressure on the reader, never an unbounded queue). All other state is confined to the
 * client's single control thread, so it needs no locks.
 */
public final class StreamSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private final ArgusClient client;
    private final StreamSpec spec;
    private final ScheduledExecutorService control;
    private final Semaphore window;
    private final AtomicLong submitted = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private final InOrderDelivery delivery;
    private final LiveThinning thinning;
    private final FrameRequests requests;
    private final ScheduledFuture<?> watchdog;
    private final Runnable routeListener;
    // the parts of the control-thread state machine, each confined to the client's control thread
    private final StreamRoute route;
    private final HeldFrames frames;
    private final AnswerHandler answers;
    /** How long a planned move waits for the old agent's state before using the stored checkpoint. */
    static final long HANDOVER_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** How long a new stream waits for the coordinator's assignment before choosing an agent itself. */
    static final long ASSIGNMENT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final org.apache.curator.framework.recipes.nodes.PersistentNode registration;

    StreamSession(ArgusClient client, StreamSpec spec, ResultListener listener) {
        this.client = client;
        this.spec = spec;
        this.control = client.control();
        this.window = new Semaphore(spec.window());
        this.delivery = new InOrderDelivery(listener, window);
        this.thinning = new LiveThinning(System::nanoTime, spec.thinning());
        this.requests = new FrameRequests(client, spec);
        AgentSelector selector = new AgentSelector(System::nanoTime, client::breaker, spec.suspicion());
        this.route = new StreamRoute(client, spec, listener, selector);
        this.frames = new HeldFrames(client, spec, submitted, delivery, route);
        this.answers = new AnswerHandler(client, spec, thinning, selector, route, frames);
        route.frames = frames;
        frames.answers = answers;
        this.watchdog = control.scheduleWithFixedDelay(frames::checkTimeouts, 200, 200, TimeUnit.MILLISECONDS);
        this.routeListener = () -> control.execute(route::onRoutesChanged);
        client.router().addListener(routeListener);
        this.registration = StreamRegistration.register(client, spec);
    }

    public StreamSpec spec() {
        return spec;
    }

    public String streamId() {
        return spec.streamId();
    }

    /** The agent currently serving the stream, or null. */
    public @Nullable String currentAgent() {
        return route.agentId;
    }

    public long submitted() {
        return submitted.get();
    }

    public long delivered() {
        return delivery.delivered();
    }

    /** Answers discarded because they came under an ownership epoch older than one already seen. */
    public long staleEpochAnswers() {
        return answers.staleEpochAnswers;
    }

    /** Frames an agent refused because the assignment gives the stream to another agent (NOT_OWNER). */
    public long notOwnerRefusals() {
        return answers.notOwnerRefusals;
    }

    /** Sends after the first, for any reason (failover, or a retry after the agent shed the frame). */
    public long resends() {
        return frames.resends;
    }

    /**
     * Sends of frames whose previous send was lost with its connection: the frames in flight when
     * an agent died, stopped answering or was switched away from. At most the window per failover.
     */
    public long failoverResends() {
        return frames.failoverResends;
    }

    /** 1 when healthy; N when only every N-th live frame is sent because the agent sheds load. */
    public int frameStride() {
        return thinning.stride();
    }

    /** Live frames not sent because of degradation (also counted by the caller as dropped). */
    public long thinnedFrames() {
        return thinning.thinned();
    }

    public long failovers() {
        return route.failovers;
    }

    /**
     * Submits one frame. Blocks while {@code window} frames are undelivered.
     *
     * @param sourceIndex frame index in the source
     * @param captureUs   capture time, epoch microseconds
     * @param image       the encoded frame
     * @param context     anything the listener should get back with the result (may be null)
     */
    public void submit(long sourceIndex, long captureUs, Image image, Object context) throws InterruptedException {
        submit(sourceIndex, captureUs, 0, image, context);
    }

    /**
     * Submits one frame if the window has room, without waiting: for live sources, where a frame
     * that cannot go now is better dropped than queued. Returns false when it was not taken.
     */
    public boolean offer(long sourceIndex, long captureUs, long mediaTimeUs, Image image, Object context) {
        return offer(sourceIndex, captureUs, mediaTimeUs, () -> image, context);
    }

    /** As above, encoding the frame only if it is going to be sent (thinned frames cost nothing). */
    public boolean offer(long sourceIndex, long captureUs, long mediaTimeUs,
                         java.util.function.Supplier<Image> image, @Nullable Object context) {
        if (!thinning.admit()) {
            return false;
        }
        if (!window.tryAcquire()) {
            thinning.dropped();
            return false;
        }
        window.release();
        try {
            submit(sourceIndex, captureUs, mediaTimeUs, image.get(), null, context, true);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** As {@link #submit(long, long, Image, Object)}, with the frame's presentation time in a recorded source. */
    public void submit(long sourceIndex, long captureUs, long mediaTimeUs, Image image, @Nullable Object context)
            throws InterruptedException {
        submit(sourceIndex, captureUs, mediaTimeUs, image, null, context);
    }

    /**
     * As above, with this frame's own task list instead of the stream's (composites send frames of
     * several cameras on one stream, each tagged with its own parameters).
     */
    public void submit(long sourceIndex, long captureUs, long mediaTimeUs, Image image,
                       java.util.@Nullable List<io.argus.protocol.v1.TaskRequest> tasks, @Nullable Object context)
            throws InterruptedException {
        submit(sourceIndex, captureUs, mediaTimeUs, image, tasks, context, false);
    }

    private void submit(long sourceIndex, long captureUs, long mediaTimeUs, Image image,
                        java.util.@Nullable List<io.argus.protocol.v1.TaskRequest> tasks, @Nullable Object context,
                        boolean live)
            throws InterruptedException {
        window.acquire();
        long seq = submitted.getAndIncrement();
        FrameRequest req = requests.request(seq, sourceIndex, captureUs, mediaTimeUs, image, tasks,
                live ? thinning.takeGap(captureUs) : null);
        PendingFrame p = new PendingFrame(seq, req, captureUs, context, System.nanoTime());
        p.wire = io.argus.protocol.codec.FrameCodec.encode(io.netty.buffer.ByteBufAllocator.DEFAULT,
                io.argus.protocol.v1.Envelope.newBuilder().setFrameRequest(req).build());
        try {
            control.execute(() -> frames.submit(p));
        } catch (java.util.concurrent.RejectedExecutionException clientClosed) {
            p.wire.release(); // the client is closed: nothing will ever send or deliver it
            throw clientClosed;
        }
    }

    /**
     * State to import on the next agent this session connects to (a hand-over): sent as a
     * StreamControl before the first frame on that connection.
     */
    public void importStateOnConnect(byte[] stateBundle) {
        control.execute(() -> route.importOnConnect = stateBundle);
    }

    /** Live frames dropped at the source (thinned or no room) and reported to the agent as gaps. */
    public long gapFrames() {
        return thinning.gapFrames();
    }

    /** Sequenced streams: frames sent again after a failover to rebuild the state from a checkpoint. */
    public long replayedSends() {
        return frames.replayedSends;
    }

    /** Sequenced streams: failovers that could not replay every frame after the checkpoint (explicit gaps). */
    public long replayGaps() {
        return frames.replayGaps;
    }

    /** Sequenced streams: the newest sequence an agent confirmed as checkpointed by the coordinators, or -1. */
    public long confirmedCheckpoint() {
        return frames.replay.confirmed();
    }

    /** Sequenced streams: bytes of encoded frames held for replay now. */
    public long replayBytes() {
        return frames.replay.bytes();
    }

    /** Sequenced streams: the most frames held for replay at once (the memory the guarantee costs). */
    public int replayPeakFrames() {
        return frames.replay.peakFrames();
    }

    /** Sequenced streams: the most bytes held for replay at once. */
    public long replayPeakBytes() {
        return frames.replay.peakBytes();
    }

    /** Frames forgotten from the replay buffer before a checkpoint covered them (bounds reached). */
    public long replayEvicted() {
        return frames.replay.evicted();
    }

    /** Waits until every submitted frame has been delivered. */
    public boolean drain(Duration timeout) throws InterruptedException {
        return delivery.drain(submitted::get, timeout);
    }

    /** Releases the stream on its agent and closes the connection. Undelivered frames are failed. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        client.closed(this);
        watchdog.cancel(false);
        client.router().removeListener(routeListener);
        try {
            registration.close();
        } catch (java.io.IOException e) {
            log.debug("stream registration close", e);
        }
        try {
            control.execute(() -> {
                try {
                    route.close();
                } finally {
                    frames.close(); // whatever became of the connection, the held frames are freed
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException clientClosed) {
            // only when the client stopped without closing this session first (it closes every
            // open one): nothing runs on the control thread any more, so nothing races this
            log.warn("stream {}: closed after its client; releasing its frames here", spec.streamId());
            route.close();
            frames.close();
        }
    }
}
