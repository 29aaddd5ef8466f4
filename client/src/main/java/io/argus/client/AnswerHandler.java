package io.argus.client;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ConnectionLostException;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StreamControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link StreamSession} does with each answer: a result is delivered (and feeds the agent's
 * circuit breaker and the stream's thinning); an answer from an owner the stream has left (older
 * epoch) is dropped; a refusal is retried later, resent, moved to another agent, rerouted to the
 * owner or delivered as a failure ({@link RefusalPolicy}); an out-of-order refusal of a sequenced
 * stream is resent in order, reopened or skipped with an explicit gap. Answers to frames sent only
 * for replay are discarded. Confined to the client's control thread.
 */
final class AnswerHandler {
    // the session's logger: its lines read as before the session was split
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private final ArgusClient client;
    private final StreamSpec spec;
    private final ScheduledExecutorService control;
    private final boolean sequenced;
    private final LiveThinning thinning;
    private final AgentSelector selector;
    private final RetryBackoff backoff;
    private final StreamRoute route;
    private final HeldFrames frames;

    private int overloadStreak;
    long notOwnerRefusals;
    /** The newest ownership epoch an agent answered this stream under (FrameResult.epoch). */
    private long epoch;
    long staleEpochAnswers;
    /** The sequence a gap was last declared at (one OPEN per gap, not one per refused frame). */
    private long gapOpenedAt = -1;

    AnswerHandler(ArgusClient client, StreamSpec spec, LiveThinning thinning, AgentSelector selector, StreamRoute route,
                  HeldFrames frames) {
        this.client = client;
        this.spec = spec;
        this.control = client.control();
        this.sequenced = spec.sequenced();
        this.thinning = thinning;
        this.selector = selector;
        this.backoff = new RetryBackoff(spec.backoff());
        this.route = route;
        this.frames = frames;
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

    void onAnswer(PendingFrame p, AgentConnection c, FrameResult r, Throwable err) {
        if (r != null && r.getEpoch() > 0) {
            if (r.getEpoch() < epoch && c != route.conn) {
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
        if (r != null && r.getHasCheckpointSequence() && c == route.conn) {
            // only as far as this frame: the frames after it that are held for replay may not have
            // been applied again yet on this agent (after a reopen from an older checkpoint)
            frames.replay.confirm(Math.min(r.getCheckpointSequence(), p.seq));
        }
        if (p.delivered) {
            onReplayAnswer(p, c, err);
            return;
        }
        if (frames.unanswered.get(p.seq) != p) {
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
            frames.deliver(p, r, Code.OK, "");
            return;
        }
        if (p.sentOn == c) {
            p.sentOn = null;
        }
        if (err instanceof ConnectionLostException) {
            p.orphaned = true;
            route.onConnectionLost(c, err.getMessage());
            return;
        }
        if (err instanceof io.argus.protocol.client.OutOfOrderException oo) {
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
                overloadStreak, spec.suspicion().overloadStreakToMove(), () -> c == route.conn && client.router().preferred(spec.streamId()).isEmpty()
                        && selector.hasIdleAlternative(client.router().route(spec.streamId(), spec.taskNames()), route.agentId));
        switch (action) {
            case RETRY_LATER -> frames.scheduleRetry(backoff.nextDelayMs());
            case MOVE -> {
                overloadStreak = 0;
                route.suspect(p.agent, code == Code.OVERLOADED ? "overloaded" : "unavailable");
                if (c == route.conn) {
                    route.switchAway(c, "agent " + code.name().toLowerCase(java.util.Locale.ROOT) + ": " + err.getMessage());
                } else {
                    frames.dispatch();
                }
            }
            case REROUTE -> {
                p.orphaned = true;
                notOwner(c, err.getMessage());
            }
            case RESEND -> frames.dispatch();
            case DELIVER -> frames.deliver(p, null, code, err.getMessage());
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
            route.onConnectionLost(c, err.getMessage());
        } else if (err instanceof io.argus.protocol.client.OutOfOrderException oo) {
            onOutOfOrder(p, c, oo);
        } else {
            Code code = err instanceof AgentErrorException e ? e.code() : Code.INTERNAL;
            switch (RefusalPolicy.onRefusal(code, true, p.attempts, spec.maxAttempts(), 0,
                    spec.suspicion().overloadStreakToMove(), () -> false)) {
                case RETRY_LATER -> frames.scheduleRetry(backoff.nextDelayMs());
                case MOVE -> {
                    route.suspect(p.agent, "unavailable");
                    route.switchAway(c, "agent unavailable: " + err.getMessage());
                }
                case REROUTE -> notOwner(c, err.getMessage());
                case RESEND -> frames.dispatch();
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
        if (c != route.conn) {
            frames.dispatch();
            return;
        }
        log.info("stream {}: agent {} does not own it ({}); routing again", spec.streamId(), route.agentId, why);
        route.leave(c);
        frames.scheduleRetry(backoff.nextDelayMs());
    }

    /**
     * The agent applies this stream in order and {@code p} is not the frame it waits for. Resend in
     * order; open the stream there if it does not hold it; jump (an explicit gap) if it waits for a
     * frame this client no longer has.
     */
    private void onOutOfOrder(PendingFrame p, AgentConnection c, io.argus.protocol.client.OutOfOrderException oo) {
        if (p.sentOn == c) {
            p.sentOn = null;
        }
        if (c != route.conn) {
            p.orphaned = true;
            frames.dispatch();
            return;
        }
        if (oo.expected().isEmpty()) {
            // the agent no longer holds the stream (evicted, restarted, or our OPEN was not applied):
            // continue from the coordinators' checkpoint, on whichever agent the router gives
            p.orphaned = true;
            log.info("stream {}: agent {} does not hold the stream open; reopening from the checkpoint", spec.streamId(), route.agentId);
            route.reopen(c);
            return;
        }
        long expected = oo.expected().getAsLong();
        if (expected > p.seq) {
            // applied there already, and its answer is no longer kept: never applied twice
            if (!p.delivered) {
                frames.deliver(p, null, Code.OUT_OF_ORDER, oo.getMessage());
            } else {
                p.orphaned = false;
            }
            return;
        }
        p.orphaned = true;
        if (expected < frames.lowestHeld() && frames.lowestHeld() != gapOpenedAt) {
            // it waits for a frame this client has forgotten: move it on, keeping its state
            gapOpenedAt = frames.lowestHeld();
            log.warn("stream {}: agent {} waits for frame {} which this client no longer holds; continuing at {} (gap)",
                    spec.streamId(), route.agentId, expected, gapOpenedAt);
            frames.replayGaps++;
            c.control(StreamControl.newBuilder().setStreamId(spec.streamId()).setAction(StreamControl.Action.OPEN)
                    .setNextSequence(gapOpenedAt).build());
        } else if (frames.resendHeld(expected)) {
            // it waits for a frame this client holds but was not going to send (a defence: the one
            // known way here, an answer from an agent the stream had left, is closed in ReplayBuffer)
            log.warn("stream {}: agent {} waits for frame {}, held here but not due to be sent; sending it again",
                    spec.streamId(), route.agentId, expected);
        }
        frames.scheduleRetry(backoff.nextDelayMs());
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
            if (breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
                    && c == route.conn && p.agent.equals(route.agentId)) {
                log.warn("stream {}: circuit to {} is open ({}% of recent frames failed); moving", spec.streamId(),
                        p.agent, Math.round(breaker.getMetrics().getFailureRate()));
                control.execute(() -> route.switchAway(c, "circuit open"));
            }
        } else {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
    }
}
