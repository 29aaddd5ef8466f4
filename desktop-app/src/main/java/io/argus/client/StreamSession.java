package io.argus.client;

import com.google.protobuf.ByteString;
import io.argus.protocol.Envelopes;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.client.ConnectionLostException;
import io.argus.protocol.client.OutOfOrderException;
import io.argus.protocol.cluster.AgentInfo;
import io.argus.protocol.cluster.StreamConfig;
import io.argus.protocol.codec.FrameCodec;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.TaskRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.netty.buffer.ByteBufAllocator;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One stream's conversation with the cluster: which agent it is on, what is in flight, what goes
 * again after a refusal or a failover. The parts around it have their own classes:
 * {@link StreamRegistration} (the stream's node in ZooKeeper), {@link AgentSelector} (where to
 * go), {@link RetryBackoff} (when to send again), {@link RefusalPolicy} (what a refusal does),
 * {@link FrameTimeouts} (when an unanswered frame is given up), {@link OpenPlan} (where a stream
 * with state opens, and with which checkpoint), {@link LiveThinning} (dropping live frames at the
 * source, with gaps), {@link ReplayBuffer} (frames since the last confirmed checkpoint) and
 * {@link InOrderDelivery} (results to the listener in order). What is left here is the state
 * machine that ties them to one connection at a time.
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
    private final ResultListener listener;
    private final ScheduledExecutorService control;
    private final Semaphore window;
    private final AtomicLong submitted = new AtomicLong();
    private final InOrderDelivery delivery;
    private final LiveThinning thinning = new LiveThinning(System::nanoTime);
    private final AgentSelector selector;
    private final ScheduledFuture<?> watchdog;
    @SuppressWarnings("UnnecessaryLambda") // one instance: added to the router, removed by identity
    private final Runnable routeListener = () -> control().execute(this::onRoutesChanged);

    // ---- confined to the control thread ----
    private final TreeMap<Long, PendingFrame> unanswered = new TreeMap<>();
    /** Sequenced streams: delivered frames kept until a confirmed checkpoint covers them. */
    private final ReplayBuffer replay;
    private long replayGaps;
    private long replayedSends;
    /** The next open on a connection starts a new run of the stream (drops what the agent holds). */
    private boolean freshRun = true;
    private final boolean sequenced;
    private final RetryBackoff backoff = new RetryBackoff();
    private @Nullable AgentConnection conn;
    private @Nullable String agentId;
    private boolean connecting;
    private boolean closed;
    private int overloadStreak;
    private final FrameTimeouts timeouts;
    private long resends;
    private long notOwnerRefusals;
    /** The newest ownership epoch an agent answered this stream under (FrameResult.epoch). */
    private long epoch;
    private long staleEpochAnswers;
    /** The sequence a gap was last declared at (one OPEN per gap, not one per refused frame). */
    private long gapOpenedAt = -1;
    private long failoverResends;
    private long failovers;
    private @Nullable ScheduledFuture<?> retry;
    private byte @Nullable [] importOnConnect;
    private boolean stateWanted;     // the stream moved without a hand-over: fetch its checkpoint
    private boolean fetchingState;
    /** A planned move of a sequenced stream: the old agent's answer to RELEASE is awaited on it. */
    private @Nullable AgentConnection handoverFrom;
    private long handoverDeadline;
    /** How long a planned move waits for the old agent's state before using the stored checkpoint. */
    static final long HANDOVER_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** How long a new stream waits for the coordinator's assignment before choosing an agent itself. */
    static final long ASSIGNMENT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final long createdNanos = System.nanoTime();
    /**
     * This session's run of the stream: its checkpoints carry it, and a coordinator keeps the
     * newest run's (then the highest sequence's), so a stale agent's late checkpoint never
     * replaces a newer one, and a new run is not continued from an old run's.
     */
    private final long run = Envelopes.nowMicros();
    private final PersistentNode registration;
    private final StateFetcher states;

    StreamSession(ArgusClient client, StreamSpec spec, ResultListener listener) {
        this.client = client;
        this.spec = spec;
        this.listener = listener;
        this.control = client.control();
        this.window = new Semaphore(spec.window());
        this.delivery = new InOrderDelivery(listener, window);
        this.selector = new AgentSelector(System::nanoTime, client::breaker);
        this.replay = new ReplayBuffer(spec.replay());
        this.sequenced = spec.sequenced();
        this.timeouts = new FrameTimeouts(spec.frameTimeoutMs(), spec.maxAttempts(), sequenced);
        this.watchdog = control.scheduleWithFixedDelay(this::checkTimeouts, 200, 200, TimeUnit.MILLISECONDS);
        client.router().addListener(routeListener);
        this.states = new StateFetcher(client.view(), client.token(), client.tls());
        this.registration = StreamRegistration.register(client, spec);
    }

    /** Task requests with the central configuration applied: defaults, then the stream's, then this client's own. */
    private List<TaskRequest> tasksNow() {
        var defaults = client.view().defaults().value();
        var config = client.view().config(spec.streamId()).value();
        if (defaults.tasks().isEmpty() && config.tasks().isEmpty()) {
            return spec.tasks();
        }
        List<TaskRequest> out = new ArrayList<>();
        for (var t : spec.tasks()) {
            out.add(t.toBuilder().clearParams().putAllParams(StreamConfig.merge(defaults, config,
                    t.getName(), t.getParamsMap())).build());
        }
        return out;
    }

    private ScheduledExecutorService control() {
        return control;
    }

    public StreamSpec spec() {
        return spec;
    }

    public String streamId() {
        return spec.streamId();
    }

    /** The agent currently serving the stream, or null. */
    public @Nullable String currentAgent() {
        return agentId;
    }

    public long submitted() {
        return submitted.get();
    }

    public long delivered() {
        return delivery.delivered();
    }

    /** Answers discarded because they came under an ownership epoch older than one already seen. */
    public long staleEpochAnswers() {
        return staleEpochAnswers;
    }

    /** Frames an agent refused because the assignment gives the stream to another agent (NOT_OWNER). */
    public long notOwnerRefusals() {
        return notOwnerRefusals;
    }

    /** Sends after the first, for any reason (failover, or a retry after the agent shed the frame). */
    public long resends() {
        return resends;
    }

    /**
     * Sends of frames whose previous send was lost with its connection: the frames in flight when
     * an agent died, stopped answering or was switched away from. At most the window per failover.
     */
    public long failoverResends() {
        return failoverResends;
    }

    /** 1 when healthy; N when only every N-th live frame is sent because the agent sheds load. */
    public int frameStride() {
        return thinning.stride();
    }

    /** Live frames not sent because of degradation (also counted by the caller as dropped). */
    public long thinnedFrames() {
        return thinning.thinned();
    }

    /** On the control thread: the agent shed a frame or says it is shedding. */
    private void onShed() {
        if (thinning.onShed()) {
            log.warn("stream {}: agent is shedding load, sending 1 frame in {}", spec.streamId(), thinning.stride());
        }
    }

    /** On the control thread, after a result from an agent that is not shedding. */
    private void maybeRecover() {
        if (thinning.onHealthy()) {
            log.info("stream {}: shedding has stopped, sending 1 frame in {}", spec.streamId(), thinning.stride());
        }
    }

    public long failovers() {
        return failovers;
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
                         Supplier<Image> image, @Nullable Object context) {
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
    public void submit(long sourceIndex, long captureUs, long mediaTimeUs, Image image, Object context)
            throws InterruptedException {
        submit(sourceIndex, captureUs, mediaTimeUs, image, null, context);
    }

    /**
     * As above, with this frame's own task list instead of the stream's (composites send frames of
     * several cameras on one stream, each tagged with its own parameters).
     */
    public void submit(long sourceIndex, long captureUs, long mediaTimeUs, Image image,
                       @Nullable List<TaskRequest> tasks, @Nullable Object context) throws InterruptedException {
        submit(sourceIndex, captureUs, mediaTimeUs, image, tasks, context, false);
    }

    private void submit(long sourceIndex, long captureUs, long mediaTimeUs, Image image,
                        @Nullable List<TaskRequest> tasks, @Nullable Object context, boolean live)
            throws InterruptedException {
        window.acquire();
        long seq = submitted.getAndIncrement();
        FrameRequest.Builder rb = FrameRequest.newBuilder().setLive(live);
        if (live) {
            LiveThinning.Gap gap = thinning.takeGap(captureUs);
            rb.setGapFrames(gap.frames()).setGapUs(gap.us());
        }
        FrameRequest req = rb.setStreamId(spec.streamId()).setSequence(seq)
                .setSourceIndex(sourceIndex).setCaptureTimeUs(captureUs).setMediaTimeUs(mediaTimeUs).setImage(image)
                .addAllTasks(tasks != null ? tasks : tasksNow())
                .setConfigVersion(spec.configVersion() != 0 ? spec.configVersion() : client.view().configVersion(spec.streamId()))
                .setEpoch(client.view().currentEpoch(spec.streamId()))
                .build();
        PendingFrame p = new PendingFrame(seq, req, captureUs, context, System.nanoTime());
        p.wire = FrameCodec.encode(ByteBufAllocator.DEFAULT,
                Envelope.newBuilder().setFrameRequest(req).build());
        try {
            control.execute(() -> {
                if (closed) {
                    deliver(p, null, Code.UNAVAILABLE, "session closed");
                    return;
                }
                unanswered.put(seq, p);
                dispatch();
            });
        } catch (RejectedExecutionException clientClosed) {
            p.wire.release(); // the client is closed: nothing will ever send or deliver it
            throw clientClosed;
        }
    }

    /**
     * State to import on the next agent this session connects to (a hand-over): sent as a
     * StreamControl before the first frame on that connection.
     */
    public void importStateOnConnect(byte[] stateBundle) {
        control.execute(() -> importOnConnect = stateBundle);
    }

    /** Live frames dropped at the source (thinned or no room) and reported to the agent as gaps. */
    public long gapFrames() {
        return thinning.gapFrames();
    }

    /** Sequenced streams: frames sent again after a failover to rebuild the state from a checkpoint. */
    public long replayedSends() {
        return replayedSends;
    }

    /** Sequenced streams: failovers that could not replay every frame after the checkpoint (explicit gaps). */
    public long replayGaps() {
        return replayGaps;
    }

    /** Sequenced streams: the newest sequence an agent confirmed as checkpointed by the coordinators, or -1. */
    public long confirmedCheckpoint() {
        return replay.confirmed();
    }

    /** Sequenced streams: bytes of encoded frames held for replay now. */
    public long replayBytes() {
        return replay.bytes();
    }

    /** Sequenced streams: the most frames held for replay at once (the memory the guarantee costs). */
    public int replayPeakFrames() {
        return replay.peakFrames();
    }

    /** Sequenced streams: the most bytes held for replay at once. */
    public long replayPeakBytes() {
        return replay.peakBytes();
    }

    /** Waits until every submitted frame has been delivered. */
    public boolean drain(Duration timeout) throws InterruptedException {
        return delivery.drain(submitted::get, timeout);
    }

    // ------------------------------------------------------------------ control thread

    private void dispatch() {
        if (conn != null && !conn.isActive()) {
            // closed under us, its close callback not yet run: move now, and not back to it
            onConnectionLost(conn, "connection to " + agentId + " closed");
            return;
        }
        if (conn == null) {
            ensureConnection();
            return;
        }
        // in sequence order: frames being replayed (all earlier than any undelivered one) first
        for (PendingFrame p : replay.frames()) {
            if (p.sentOn != null || !p.orphaned) {
                continue;
            }
            if (conn.credits() <= 0) {
                return;
            }
            replayedSends++;
            send(p);
        }
        for (PendingFrame p : unanswered.values()) {
            if (p.sentOn != null) {
                continue;
            }
            if (conn.credits() <= 0) {
                return; // resumed by onCredit
            }
            send(p);
        }
    }

    private void send(PendingFrame p) {
        AgentConnection c = Objects.requireNonNull(conn); // sent only while connected
        p.attempts++;
        if (p.attempts > 1) {
            resends++;
        }
        if (p.orphaned) {
            failoverResends++;
            p.orphaned = false;
        }
        p.sentOn = c;
        p.sentNanos = System.nanoTime();
        p.agent = Objects.requireNonNull(agentId); // set together with conn
        c.send(p.request, p.wire).whenComplete((r, err) -> control.execute(() -> onAnswer(p, c, r, err)));
    }

    private void onAnswer(PendingFrame p, AgentConnection c, FrameResult r, Throwable err) {
        if (r != null && r.getEpoch() > 0) {
            if (r.getEpoch() < epoch && c != conn) {
                // from an owner the stream has since left (a frozen agent that woke up): its frames
                // were or will be sent to the current owner
                staleEpochAnswers++;
                if (p.sentOn == c) {
                    p.sentOn = null;
                    p.orphaned = true;
                }
                return;
            }
            epoch = Math.max(epoch, r.getEpoch());
        }
        if (r != null && r.getHasCheckpointSequence() && c == conn) {
            // only as far as this frame: the frames after it that are held for replay may not have
            // been applied again yet on this agent (after a reopen from an older checkpoint)
            replay.confirm(Math.min(r.getCheckpointSequence(), p.seq));
        }
        if (p.delivered) {
            onReplayAnswer(p, c, err);
            return;
        }
        if (unanswered.get(p.seq) != p) {
            return; // already delivered (an answer from an agent we had given up on)
        }
        recordOutcome(p, c, r, err);
        if (err == null) {
            overloadStreak = 0;
            backoff.reset();
            if (r.getDegraded()) {
                onShed();
            } else {
                maybeRecover();
            }
            deliver(p, r, Code.OK, "");
            return;
        }
        if (p.sentOn == c) {
            p.sentOn = null;
        }
        if (err instanceof ConnectionLostException) {
            p.orphaned = true;
            onConnectionLost(c, err.getMessage());
            return;
        }
        if (err instanceof OutOfOrderException oo) {
            onOutOfOrder(p, c, oo);
            return;
        }
        Code code = err instanceof AgentErrorException e ? e.code() : Code.INTERNAL;
        if (code == Code.OVERLOADED) {
            onShed();
            overloadStreak++;
        }
        // Not while a coordinator places the stream: it moves streams off busy agents itself,
        // with hysteresis; a client overruling it would bounce between the two.
        RefusalPolicy.Action action = RefusalPolicy.onRefusal(code, sequenced, p.attempts, spec.maxAttempts(),
                overloadStreak, () -> c == conn && client.router().preferred(spec.streamId()).isEmpty()
                        && selector.hasIdleAlternative(client.router().route(spec.streamId(), spec.taskNames()), agentId));
        switch (action) {
            case RETRY_LATER -> scheduleRetry(backoff.nextDelayMs());
            case MOVE -> {
                overloadStreak = 0;
                suspect(p.agent, code == Code.OVERLOADED ? "overloaded" : "unavailable");
                if (c == conn) {
                    switchAway(c, "agent " + code.name().toLowerCase(Locale.ROOT) + ": " + err.getMessage());
                } else {
                    dispatch();
                }
            }
            case REROUTE -> {
                p.orphaned = true;
                notOwner(c, err.getMessage());
            }
            case RESEND -> dispatch();
            case DELIVER -> deliver(p, null, code, err.getMessage());
        }
    }

    /**
     * An answer to a frame sent again only to rebuild the state (it was delivered before): its
     * result is discarded. Refusals are handled as for any frame, so that the replay stays in order.
     */
    private void onReplayAnswer(PendingFrame p, AgentConnection c, Throwable err) {
        if (p.sentOn == c) {
            p.sentOn = null;
        }
        if (err == null) {
            p.orphaned = false;
            return;
        }
        if (err instanceof ConnectionLostException) {
            onConnectionLost(c, err.getMessage());
        } else if (err instanceof OutOfOrderException oo) {
            onOutOfOrder(p, c, oo);
        } else {
            Code code = err instanceof AgentErrorException e ? e.code() : Code.INTERNAL;
            switch (RefusalPolicy.onRefusal(code, true, p.attempts, spec.maxAttempts(), 0, () -> false)) {
                case RETRY_LATER -> scheduleRetry(backoff.nextDelayMs());
                case MOVE -> {
                    suspect(p.agent, "unavailable");
                    switchAway(c, "agent unavailable: " + err.getMessage());
                }
                case REROUTE -> notOwner(c, err.getMessage());
                case RESEND -> dispatch();
                // decided by the frame itself: the same answer as the first time
                case DELIVER -> p.orphaned = false;
            }
        }
    }

    /**
     * The agent says the assignment gives the stream to another agent (or it cannot confirm its
     * own): it applied nothing. Leave it without suspecting it, and after a pause (this client's
     * view of the assignment may lag the agent's) open the stream where the router now says, from
     * the coordinators' checkpoint.
     */
    private void notOwner(AgentConnection c, @Nullable String why) {
        notOwnerRefusals++;
        if (c != conn) {
            dispatch();
            return;
        }
        log.info("stream {}: agent {} does not own it ({}); routing again", spec.streamId(), agentId, why);
        leave(c);
        scheduleRetry(backoff.nextDelayMs());
    }

    /**
     * The agent applies this stream in order and {@code p} is not the frame it waits for. Resend in
     * order; open the stream there if it does not hold it; jump (an explicit gap) if it waits for a
     * frame this client no longer has.
     */
    private void onOutOfOrder(PendingFrame p, AgentConnection c, OutOfOrderException oo) {
        if (p.sentOn == c) {
            p.sentOn = null;
        }
        if (c != conn) {
            p.orphaned = true;
            dispatch();
            return;
        }
        if (oo.expected().isEmpty()) {
            // the agent no longer holds the stream (evicted, restarted, or our OPEN was not applied):
            // continue from the coordinators' checkpoint, on whichever agent the router gives
            p.orphaned = true;
            log.info("stream {}: agent {} does not hold the stream open; reopening from the checkpoint", spec.streamId(), agentId);
            reopen(c);
            return;
        }
        long expected = oo.expected().getAsLong();
        if (expected > p.seq) {
            // applied there already, and its answer is no longer kept: never applied twice
            if (!p.delivered) {
                deliver(p, null, Code.OUT_OF_ORDER, oo.getMessage());
            } else {
                p.orphaned = false;
            }
            return;
        }
        p.orphaned = true;
        if (expected < lowestHeld() && lowestHeld() != gapOpenedAt) {
            // it waits for a frame this client has forgotten: move it on, keeping its state
            gapOpenedAt = lowestHeld();
            log.warn("stream {}: agent {} waits for frame {} which this client no longer holds; continuing at {} (gap)",
                    spec.streamId(), agentId, expected, gapOpenedAt);
            replayGaps++;
            c.control(StreamControl.newBuilder().setStreamId(spec.streamId()).setAction(StreamControl.Action.OPEN)
                    .setNextSequence(gapOpenedAt).build());
        }
        scheduleRetry(backoff.nextDelayMs());
    }

    /** Drops the connection without suspecting the agent, and opens the stream again from its checkpoint. */
    private void reopen(AgentConnection c) {
        if (c != conn) {
            return;
        }
        leave(c);
        dispatch();
    }

    /**
     * Stops sending on {@code c}: what is in flight there goes again on the next connection (if
     * the old agent answers first, the duplicate is dropped), and a stream with state continues
     * there from the stored checkpoint. Answers already on their way may still arrive.
     */
    private void leave(AgentConnection c) {
        conn = null;
        for (PendingFrame q : unanswered.values()) {
            if (q.sentOn == c) {
                q.sentOn = null;
                q.orphaned = true;
            }
        }
        if (sequenced) {
            stateWanted = true;
        }
        control.schedule(c::close, 5, TimeUnit.SECONDS);
    }

    /** The lowest sequence this client still holds (replay buffer or undelivered), else the next to submit. */
    private long lowestHeld() {
        long low = submitted.get();
        if (!replay.isEmpty()) {
            low = Math.min(low, replay.first());
        }
        if (!unanswered.isEmpty()) {
            low = Math.min(low, unanswered.firstKey());
        }
        return low;
    }

    /** Frames forgotten from the replay buffer before a checkpoint covered them (bounds reached). */
    public long replayEvicted() {
        return replay.evicted();
    }

    private void scheduleRetry(long delayMs) {
        if (retry == null || retry.isDone()) {
            retry = control.schedule(this::dispatch, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void ensureConnection() {
        if (connecting || closed || fetchingState) {
            return;
        }
        if (handoverFrom != null) {
            if (handoverFrom.isActive() && System.nanoTime() < handoverDeadline) {
                scheduleRetry(50); // the old agent's answer to RELEASE is on its way
                return;
            }
            handoverFrom = null; // it did not come: continue from the stored checkpoint instead
            stateWanted = true;
        }
        if (stateWanted && importOnConnect == null && sequenced) {
            // the old agent died: continue from the coordinator's last checkpoint of this stream
            fetchingState = true;
            states.fetchAsync(spec.streamId()).whenComplete((bundle, err) -> control.execute(() -> {
                fetchingState = false;
                stateWanted = false;
                if (bundle != null) {
                    importOnConnect = bundle;
                }
                ensureConnection();
            }));
            return;
        }
        stateWanted = false;
        if (agentId == null && client.router().preferred(spec.streamId()).isEmpty()
                && !client.view().coordinators().isEmpty() && System.nanoTime() - createdNanos < ASSIGNMENT_WAIT_NANOS) {
            // a coordinator places streams: wait for its assignment rather than start on a guess
            // and be moved a moment later
            scheduleRetry(25);
            return;
        }
        List<AgentInfo> candidates = selector.candidates(client.router().route(spec.streamId(), spec.taskNames()));
        if (candidates.isEmpty()) {
            List<AgentInfo> live = client.router().route(spec.streamId(), List.of());
            if (!live.isEmpty() && client.router().route(spec.streamId(), spec.taskNames()).isEmpty()) {
                // agents are there but none runs these tasks: waiting would not help
                Set<String> offered = new TreeSet<>();
                live.forEach(a -> offered.addAll(a.payload().capabilities()));
                for (PendingFrame p : new ArrayList<>(unanswered.values())) {
                    deliver(p, null, Code.UNSUPPORTED_TASK, "no live agent runs " + spec.taskNames()
                            + "; the cluster offers " + offered);
                }
                return;
            }
            scheduleRetry(250); // no agent yet: the watchdog fails frames that wait too long
            return;
        }
        AgentInfo target = candidates.get(0);
        connecting = true;
        String from = agentId;
        listener.onRouteChange(spec.streamId(), from, target.id(), from == null ? "start" : "failover");
        AgentConnection.connect(target, client.connectionOptions(), new Listener())
                .whenComplete((c, err) -> control.execute(() -> onConnected(target, c, err)));
    }

    private void onConnected(AgentInfo target, AgentConnection c, Throwable err) {
        connecting = false;
        if (err != null) {
            log.info("stream {}: cannot connect to {}: {}", spec.streamId(), target.id(), err.toString());
            suspect(target.id(), "connect failed");
            ensureConnection();
            return;
        }
        if (closed) {
            c.close();
            return;
        }
        if (agentId != null && !agentId.equals(target.id())) {
            failovers++;
        }
        conn = c;
        agentId = target.id();
        c.closeFuture().thenRun(() -> control.execute(() -> onConnectionLost(c, "connection closed")));
        if (sequenced) {
            open(c);
        } else if (importOnConnect != null) {
            c.control(StreamControl.newBuilder().setStreamId(spec.streamId())
                    .setImportState(ByteString.copyFrom(importOnConnect)).build());
            importOnConnect = null;
        }
        dispatch();
    }

    /**
     * Opens a sequenced stream on a new connection: from the checkpoint to import, if there is one,
     * replaying every frame held after it; otherwise from the lowest frame held (the agent keeps
     * what it holds of the stream if it can continue there, or starts fresh).
     */
    private void open(AgentConnection c) {
        StreamControl.Builder open = StreamControl.newBuilder().setStreamId(spec.streamId())
                .setAction(StreamControl.Action.OPEN).setFresh(freshRun).setRun(run);
        OpenPlan plan = OpenPlan.of(importOnConnect, run, lowestHeld());
        importOnConnect = null;
        if (!plan.note().isEmpty()) {
            log.info("stream {}: {}; not restoring it", spec.streamId(), plan.note());
        }
        if (plan.importState() != null) {
            open.setImportState(plan.importState());
        }
        if (plan.gap()) {
            replayGaps++; // frames between the checkpoint and what we hold are gone
            log.warn("stream {}: the checkpoint is older than the frames held; continuing at {} with a gap",
                    spec.streamId(), plan.from());
        }
        long from = plan.from();
        freshRun = false;
        c.control(open.setNextSequence(from).build());
        // everything held from there on goes again, in order; what the checkpoint covers is dropped
        replay.dropBelow(from);
        replay.resendAll();
        for (PendingFrame p : unanswered.values()) {
            if (p.sentOn != c) {
                p.sentOn = null;
            }
        }
    }

    private void onConnectionLost(AgentConnection c, @Nullable String why) {
        for (PendingFrame p : unanswered.values()) {
            if (p.sentOn == c) {
                p.sentOn = null;
                p.orphaned = true;
            }
        }
        for (PendingFrame p : replay.frames()) {
            if (p.sentOn == c) {
                p.sentOn = null;
            }
        }
        if (c == handoverFrom) {
            handoverFrom = null;
            stateWanted = true;
        }
        if (c != conn) {
            dispatch();
            return;
        }
        log.info("stream {}: lost agent {} ({}); moving", spec.streamId(), agentId, why);
        suspect(agentId, why);
        conn = null;
        stateWanted = true;
        dispatch();
    }

    /** Stop sending new frames to this connection; frames in flight on it may still be answered. */
    private void switchAway(AgentConnection c, String why) {
        if (c != conn) {
            return;
        }
        log.debug("stream {}: leaving {} ({})", spec.streamId(), agentId, why);
        leave(c);
        dispatch();
    }

    /**
     * Feeds the agent's circuit breaker. Failures are what says the agent is unhealthy; the
     * client's own mistakes (bad request, unsupported task, too large) and load shedding (handled
     * by degradation) are not counted. When the current agent's breaker opens, the stream moves.
     */
    private void recordOutcome(PendingFrame p, AgentConnection c, FrameResult r, Throwable err) {
        if (p.agent == null) {
            return;
        }
        var breaker = client.breaker(p.agent);
        long took = System.nanoTime() - p.sentNanos;
        boolean failed;
        if (err == null) {
            failed = r.getTasksList().stream().anyMatch(t -> t.getStatus() == Code.INTERNAL);
        } else if (err instanceof ConnectionLostException) {
            failed = true;
        } else {
            Code code = err instanceof AgentErrorException e ? e.code() : Code.INTERNAL;
            // a sequenced frame that waited past its deadline in the queue says the agent is
            // busy, not broken: like OVERLOADED, it never moves a stateful stream
            failed = code == Code.INTERNAL || code == Code.UNAVAILABLE || (code == Code.TIMEOUT && !sequenced);
            if (!failed) {
                return;
            }
        }
        if (failed) {
            breaker.onError(took, TimeUnit.NANOSECONDS, err != null ? err : new IllegalStateException("task failed"));
            if (breaker.getState() == State.OPEN
                    && c == conn && p.agent.equals(agentId)) {
                log.warn("stream {}: circuit to {} is open ({}% of recent frames failed); moving", spec.streamId(),
                        p.agent, Math.round(breaker.getMetrics().getFailureRate()));
                control.execute(() -> switchAway(c, "circuit open"));
            }
        } else {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
    }

    private void suspect(@Nullable String agent, @Nullable String why) {
        selector.suspect(agent, why);
    }

    private void onRoutesChanged() {
        // Sticky: a healthy agent keeps its streams unless the coordinator moved them (load); then
        // the old agent hands the state over in its answer to RELEASE. Otherwise routes matter when
        // the current agent is gone: the directory no longer listing it is a strong hint even
        // before its socket fails.
        Optional<String> preferred = client.router().preferred(spec.streamId());
        if (conn != null && agentId != null && preferred.isPresent() && !preferred.get().equals(agentId) && !connecting
                && !selector.suspected(preferred.get())) {
            log.info("stream {}: reassigned from {} to {}", spec.streamId(), agentId, preferred.get());
            AgentConnection old = conn;
            old.control(StreamControl.newBuilder().setStreamId(spec.streamId())
                    .setAction(StreamControl.Action.RELEASE).build());
            if (sequenced) {
                // the frames in flight there are answered before RELEASE (same lane), and the state
                // it exports holds them: wait for it rather than resend them
                handoverFrom = old;
                handoverDeadline = System.nanoTime() + HANDOVER_NANOS;
                conn = null;
                control.schedule(old::close, 10, TimeUnit.SECONDS);
                dispatch();
                return;
            }
            switchAway(old, "reassigned");
            return;
        }
        if (conn != null && agentId != null
                && client.router().route(spec.streamId(), spec.taskNames()).stream().noneMatch(a -> a.id().equals(agentId))) {
            log.info("stream {}: agent {} left the cluster", spec.streamId(), agentId);
            switchAway(conn, "agent left");
        } else if (conn == null && !unanswered.isEmpty()) {
            dispatch();
        }
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        boolean redispatch = false;
        for (PendingFrame p : new ArrayList<>(unanswered.values())) {
            boolean sent = p.sentOn != null;
            switch (timeouts.check(now, p.firstNanos, p.sentNanos, sent, p.sentOn != null && p.sentOn.isActive(), p.attempts)) {
                case WAIT -> {
                }
                case FAIL -> deliver(p, null, Code.TIMEOUT, "no answer after " + p.attempts + " attempt(s) in "
                        + (now - p.firstNanos) / 1_000_000 + " ms");
                case RESEND_ELSEWHERE -> {
                    log.info("stream {}: frame {} unanswered by {} for {} ms; resending", spec.streamId(),
                            p.request.getSourceIndex(), p.agent, spec.frameTimeoutMs());
                    AgentConnection stuck = p.sentOn;
                    p.sentOn = null;
                    p.orphaned = true;
                    suspect(p.agent, "frame timeout");
                    if (stuck != null && stuck == conn) {
                        switchAway(stuck, "frame timeout");
                    }
                    redispatch = true;
                }
            }
        }
        if (redispatch) {
            dispatch();
        }
    }

    private void deliver(PendingFrame p, @Nullable FrameResult r, Code code, @Nullable String message) {
        unanswered.remove(p.seq);
        boolean kept = sequenced && !closed && code != Code.UNAVAILABLE && code != Code.TIMEOUT
                && code != Code.OUT_OF_ORDER && replay.retain(p);
        if (!kept) {
            p.release(); // never applied, not sequenced, or nothing will be replayed any more
        }
        long latency = Envelopes.nowMicros() - p.captureUs;
        delivery.complete(p.seq, new StreamResult(spec.streamId(), p.request.getSourceIndex(), r, code,
                message == null ? "" : message, r != null ? r.getAgentId() : p.agent, p.captureUs, latency,
                p.attempts, p.context));
    }

    private final class Listener implements ConnectionListener {
        @Override
        public void onCredit(AgentConnection connection) {
            control.execute(() -> {
                if (connection == conn) {
                    dispatch();
                }
            });
        }

        @Override
        public void onState(AgentConnection connection, StateBundle state) {
            // the state the previous agent handed over on RELEASE: import it wherever we go next
            control.execute(() -> {
                if (connection == handoverFrom) {
                    handoverFrom = null;
                    importOnConnect = state.toByteArray();
                    dispatch();
                } else if (conn == null || conn == connection) {
                    importOnConnect = state.toByteArray();
                } else if (sequenced) {
                    log.debug("stream {}: late state from {} ignored (the stream is open elsewhere)", spec.streamId(),
                            connection.agentId());
                } else {
                    conn.control(StreamControl.newBuilder().setStreamId(spec.streamId())
                            .setImportState(state.toByteString()).build());
                }
            });
        }

        @Override
        public void onGoodbye(AgentConnection connection, String reason) {
            control.execute(() -> {
                suspect(agentId, "draining");
                switchAway(connection, reason);
            });
        }
    }

    /** Releases the stream on its agent and closes the connection. Undelivered frames are failed. */
    @Override
    public void close() {
        watchdog.cancel(false);
        client.router().removeListener(routeListener);
        try {
            registration.close();
        } catch (IOException e) {
            log.debug("stream registration close", e);
        }
        control.execute(() -> {
            closed = true;
            if (conn != null) {
                conn.control(StreamControl.newBuilder().setStreamId(spec.streamId())
                        .setAction(StreamControl.Action.RELEASE).build());
                AgentConnection c = conn;
                control.schedule(c::close, 200, TimeUnit.MILLISECONDS);
                conn = null;
            }
            for (PendingFrame p : new ArrayList<>(unanswered.values())) {
                deliver(p, null, Code.UNAVAILABLE, "session closed");
            }
            replay.clear();
        });
    }
}
