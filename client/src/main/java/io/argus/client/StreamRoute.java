package io.argus.client;

import com.google.protobuf.InvalidProtocolBufferException;
import org.jspecify.annotations.Nullable;
import io.argus.cluster.AgentInfo;
import io.argus.protocol.Envelopes;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link StreamSession}'s stream is: the agent and the one connection it is sent on, and
 * moving it. Chooses the agent ({@link AgentSelector} over the router's candidates, waiting briefly
 * for a coordinator's assignment), opens a sequenced stream on each new connection from the right
 * checkpoint ({@link OpenPlan}, fetched by {@link StateFetcher} when the old agent died), leaves an
 * agent that died, drains, stopped answering or lost the stream, and hands the stream over on a
 * planned move (RELEASE, then the old agent's state imported on the new one). The frames themselves
 * are {@link HeldFrames}'s. Confined to the client's control thread.
 *
 * <p>It stays one class of about 340 lines on purpose: choosing the agent, opening the stream on the
 * new connection, leaving the old one and the hand-over all read and write the same few fields (the
 * connection, the agent, the state to import, the hand-over in progress), in an order that the
 * failover guarantees depend on; split further, that state would pass between classes on every
 * event.
 */
final class StreamRoute {
    // the session's logger: its lines read as before the session was split
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private final ArgusClient client;
    private final StreamSpec spec;
    private final ResultListener listener;
    private final ScheduledExecutorService control;
    private final AgentSelector selector;
    private final StateFetcher states;
    private final boolean sequenced;
    /** The frames the route sends; set once, right after both are made. */
    @SuppressWarnings("NullAway.Init") // set by StreamSession right after both are made
    HeldFrames frames;

    /** The next open on a connection starts a new run of the stream (drops what the agent holds). */
    private boolean freshRun = true;
    @Nullable AgentConnection conn;
    @Nullable String agentId;
    private boolean connecting;
    boolean closed;
    long failovers;
    byte @Nullable [] importOnConnect;
    private boolean stateWanted;     // the stream moved without a hand-over: fetch its checkpoint
    private boolean fetchingState;
    /** When no coordinator could be asked for a checkpoint the stream needs (nanoTime), or 0. */
    private long unreachableSince;
    /** How often a checkpoint is asked for again while no coordinator can be asked. */
    static final long STATE_RETRY_MS = 1_000;
    /** A planned move of a sequenced stream: the old agent's answer to RELEASE is awaited on it. */
    private @Nullable AgentConnection handoverFrom;
    private long handoverDeadline;
    private final long createdNanos = System.nanoTime();
    /**
     * This session's run of the stream: its checkpoints carry it, and a coordinator keeps the
     * newest run's (then the highest sequence's), so a stale agent's late checkpoint never
     * replaces a newer one, and a new run is not continued from an old run's.
     */
    private final long run = Envelopes.nowMicros();

    StreamRoute(ArgusClient client, StreamSpec spec, ResultListener listener, AgentSelector selector) {
        this.client = client;
        this.spec = spec;
        this.listener = listener;
        this.control = client.control();
        this.selector = selector;
        this.sequenced = spec.sequenced();
        this.states = new StateFetcher(client.view(), client.token(), client.tls());
    }

    /** Drops the connection without suspecting the agent, and opens the stream again from its checkpoint. */
    void reopen(AgentConnection c) {
        if (c != conn) {
            return;
        }
        leave(c);
        frames.dispatch();
    }

    /**
     * Stops sending on {@code c}: what is in flight there goes again on the next connection (if
     * the old agent answers first, the duplicate is dropped), and a stream with state continues
     * there from the stored checkpoint. Answers already on their way may still arrive.
     */
    void leave(AgentConnection c) {
        conn = null;
        for (PendingFrame q : frames.unanswered.values()) {
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

    void ensureConnection() {
        if (connecting || closed || fetchingState) {
            return;
        }
        if (handoverFrom != null) {
            if (handoverFrom.isActive() && System.nanoTime() < handoverDeadline) {
                frames.scheduleRetry(50); // the old agent's answer to RELEASE is on its way
                return;
            }
            handoverFrom = null; // it did not come: continue from the stored checkpoint instead
            stateWanted = true;
        }
        if (stateWanted && importOnConnect == null && sequenced) {
            // the old agent died: continue from the coordinator's last checkpoint of this stream
            fetchingState = true;
            states.fetchAsync(spec.streamId()).whenComplete((lookup, err) -> control.execute(() -> {
                fetchingState = false;
                onLookup(lookup != null ? lookup : new StateFetcher.Lookup.Unreachable(String.valueOf(err)));
            }));
            return;
        }
        stateWanted = false;
        if (agentId == null && client.router().preferred(spec.streamId()).isEmpty()
                && !client.view().coordinators().isEmpty() && System.nanoTime() - createdNanos < StreamSession.ASSIGNMENT_WAIT_NANOS) {
            // a coordinator places streams: wait for its assignment rather than start on a guess
            // and be moved a moment later
            frames.scheduleRetry(25);
            return;
        }
        List<AgentInfo> candidates = selector.candidates(client.router().route(spec.streamId(), spec.taskNames()));
        if (candidates.isEmpty()) {
            List<AgentInfo> live = client.router().route(spec.streamId(), List.of());
            if (!live.isEmpty() && client.router().route(spec.streamId(), spec.taskNames()).isEmpty()) {
                // agents are there but none runs these tasks: waiting would not help
                java.util.Set<String> offered = new java.util.TreeSet<>();
                live.forEach(a -> offered.addAll(a.payload().capabilities()));
                for (PendingFrame p : new ArrayList<>(frames.unanswered.values())) {
                    frames.deliver(p, null, Code.UNSUPPORTED_TASK, "no live agent runs " + spec.taskNames()
                            + "; the cluster offers " + offered);
                }
                return;
            }
            frames.scheduleRetry(250); // no agent yet: the watchdog fails frames that wait too long
            return;
        }
        AgentInfo target = candidates.get(0);
        connecting = true;
        String from = agentId;
        listener.onRouteChange(spec.streamId(), from, target.id(), from == null ? "start" : "failover");
        target.connect(client.connectionOptions(), new Listener())
                .whenComplete((c, err) -> control.execute(() -> onConnected(target, c, err)));
    }

    /**
     * What the coordinators said of the checkpoint. When none could be asked while the client has
     * forgotten frames on an agent's word that a coordinator holds their checkpoint, opening
     * without it would start the stream's state again: ask again every {@link #STATE_RETRY_MS}, for
     * as long as a frame of a stream with state may wait ({@link SuspicionConfig#sequencedStallMs()}),
     * and only then continue without it, as a gap ({@link #open}).
     */
    private void onLookup(StateFetcher.Lookup lookup) {
        if (lookup instanceof StateFetcher.Lookup.Unreachable u && frames.replay.confirmed() >= 0 && !closed) {
            long now = System.nanoTime();
            if (unreachableSince == 0) {
                unreachableSince = now;
                log.warn("stream {}: cannot ask a coordinator for the checkpoint ({}); frames up to {} are only "
                        + "there, so the stream waits for one", spec.streamId(), u.why(), frames.replay.confirmed());
            }
            if (now - unreachableSince < TimeUnit.MILLISECONDS.toNanos(spec.suspicion().sequencedStallMs())) {
                frames.scheduleRetry(STATE_RETRY_MS); // stateWanted stays: the next dispatch asks again
                return;
            }
            log.warn("stream {}: still no coordinator to ask for the checkpoint after {} ms ({}); continuing without it",
                    spec.streamId(), spec.suspicion().sequencedStallMs(), u.why());
        }
        unreachableSince = 0;
        stateWanted = false;
        if (lookup instanceof StateFetcher.Lookup.Found f) {
            importOnConnect = f.bundle().toByteArray();
        }
        ensureConnection();
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
                    .setImportState(com.google.protobuf.ByteString.copyFrom(importOnConnect)).build());
            importOnConnect = null;
        }
        frames.dispatch();
    }

    /**
     * Opens a sequenced stream on a new connection: from the checkpoint to import, if there is one,
     * replaying every frame held after it; otherwise from the lowest frame held (the agent keeps
     * what it holds of the stream if it can continue there, or starts fresh).
     */
    private void open(AgentConnection c) {
        StreamControl.Builder open = StreamControl.newBuilder().setStreamId(spec.streamId())
                .setAction(StreamControl.Action.OPEN).setFresh(freshRun).setRun(run);
        OpenPlan plan = OpenPlan.of(importOnConnect, run, frames.lowestHeld());
        importOnConnect = null;
        if (!plan.note().isEmpty()) {
            log.info("stream {}: {}; not restoring it", spec.streamId(), plan.note());
        }
        if (plan.importState() != null) {
            open.setImportState(plan.importState());
        }
        long confirmed = frames.replay.confirmed();
        if (plan.gap()) {
            frames.replayGaps++; // frames between the checkpoint and what we hold are gone
            long restored = restoredSequence(plan);
            log.warn("stream {}: the checkpoint is older than the frames held; continuing at {} with a gap{}",
                    spec.streamId(), plan.from(), restored < confirmed
                            ? " (it holds frames up to " + restored + ", but an agent said a coordinator held them up to "
                            + confirmed + ")" : "");
        } else if (plan.importState() == null && confirmed >= 0) {
            // frames up to `confirmed` were forgotten on an agent's word that a coordinator holds
            // their checkpoint, and there is none to restore: their effects are gone
            frames.replayGaps++;
            log.warn("stream {}: no checkpoint of this run to restore{}, although frames up to {} were forgotten as "
                    + "stored in one; continuing at {} without it (a gap, unless the agent still holds the stream)",
                    spec.streamId(), plan.note().isEmpty() ? "" : " (" + plan.note() + ")", confirmed, plan.from());
        }
        long from = plan.from();
        freshRun = false;
        c.control(open.setNextSequence(from).build());
        // everything held from there on goes again, in order; what the checkpoint covers is dropped
        frames.replay.dropBelow(from);
        frames.replay.resendAll();
        for (PendingFrame p : frames.unanswered.values()) {
            if (p.sentOn != c) {
                p.sentOn = null;
            }
        }
    }

    /** The last sequence of the checkpoint a plan restores, or -1. */
    private static long restoredSequence(OpenPlan plan) {
        try {
            StateBundle b = plan.importState() == null ? null : StateBundle.parseFrom(plan.importState());
            return b != null && b.getHasLastSequence() ? b.getLastSequence() : -1;
        } catch (InvalidProtocolBufferException e) {
            return -1;
        }
    }

    void onConnectionLost(AgentConnection c, @Nullable String why) {
        for (PendingFrame p : frames.unanswered.values()) {
            if (p.sentOn == c) {
                p.sentOn = null;
                p.orphaned = true;
            }
        }
        for (PendingFrame p : frames.replay.frames()) {
            if (p.sentOn == c) {
                p.sentOn = null;
            }
        }
        if (c == handoverFrom) {
            handoverFrom = null;
            stateWanted = true;
        }
        if (c != conn) {
            frames.dispatch();
            return;
        }
        log.info("stream {}: lost agent {} ({}); moving", spec.streamId(), agentId, why);
        suspect(agentId, why);
        conn = null;
        stateWanted = true;
        frames.dispatch();
    }

    /** Stop sending new frames to this connection; frames in flight on it may still be answered. */
    void switchAway(AgentConnection c, String why) {
        if (c != conn) {
            return;
        }
        log.debug("stream {}: leaving {} ({})", spec.streamId(), agentId, why);
        leave(c);
        frames.dispatch();
    }

    void suspect(@Nullable String agent, @Nullable String why) {
        selector.suspect(agent, why);
    }

    void onRoutesChanged() {
        // Sticky: a healthy agent keeps its streams unless the coordinator moved them (load); then
        // the old agent hands the state over in its answer to RELEASE. Otherwise routes matter when
        // the current agent is gone: the directory no longer listing it is a strong hint even
        // before its socket fails.
        java.util.Optional<String> preferred = client.router().preferred(spec.streamId());
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
                handoverDeadline = System.nanoTime() + StreamSession.HANDOVER_NANOS;
                conn = null;
                control.schedule(old::close, 10, TimeUnit.SECONDS);
                frames.dispatch();
                return;
            }
            switchAway(old, "reassigned");
            return;
        }
        if (conn != null && agentId != null
                && client.router().route(spec.streamId(), spec.taskNames()).stream().noneMatch(a -> a.id().equals(agentId))) {
            log.info("stream {}: agent {} left the cluster", spec.streamId(), agentId);
            switchAway(conn, "agent left");
        } else if (conn == null && !frames.unanswered.isEmpty()) {
            frames.dispatch();
        }
    }

    private final class Listener implements ConnectionListener {
        @Override
        public void onCredit(AgentConnection connection) {
            control.execute(() -> {
                if (connection == conn) {
                    frames.dispatch();
                }
            });
        }

        @Override
        public void onState(AgentConnection connection, io.argus.protocol.v1.StateBundle state) {
            // the state the previous agent handed over on RELEASE: import it wherever we go next
            control.execute(() -> {
                if (connection == handoverFrom) {
                    handoverFrom = null;
                    importOnConnect = state.toByteArray();
                    frames.dispatch();
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

    /** On close: releases the stream on its agent and closes the connection shortly after. */
    void close() {
        closed = true;
        if (conn != null) {
            conn.control(StreamControl.newBuilder().setStreamId(spec.streamId())
                    .setAction(StreamControl.Action.RELEASE).build());
            AgentConnection c = conn;
            conn = null;
            try {
                // a moment for RELEASE to reach the agent before the socket goes
                control.schedule(c::close, 200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException clientStopping) {
                c.close(); // the client is shutting down: its event loops go next anyway
            }
        }
    }
}
