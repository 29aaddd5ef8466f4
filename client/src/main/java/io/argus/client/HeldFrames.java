package io.argus.client;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.Envelopes;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The send window and replay of a {@link StreamSession}: the frames submitted and not yet
 * delivered, and (sequenced streams) the delivered frames held for replay ({@link ReplayBuffer})
 * until a checkpoint covers them. Sends them in sequence order on the {@link StreamRoute}'s
 * connection while it has credits (replayed frames first), schedules retries, gives up frames
 * unanswered too long ({@link FrameTimeouts}), and delivers each frame's one result
 * ({@link InOrderDelivery}). Answers are {@link AnswerHandler}'s. Confined to the client's control
 * thread.
 */
final class HeldFrames {
    // the session's logger: its lines read as before the session was split
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    private final StreamSpec spec;
    private final ScheduledExecutorService control;
    private final boolean sequenced;
    private final AtomicLong submitted;
    private final InOrderDelivery delivery;
    private final FrameTimeouts timeouts;
    private final StreamRoute route;
    /** Where answers go; set once, right after both are made. */
    @SuppressWarnings("NullAway.Init") // set by StreamSession right after both are made
    AnswerHandler answers;

    final TreeMap<Long, PendingFrame> unanswered = new TreeMap<>();
    /** Sequenced streams: delivered frames kept until a confirmed checkpoint covers them. */
    final ReplayBuffer replay;
    long replayGaps;
    long replayedSends;
    long resends;
    long failoverResends;
    private @Nullable ScheduledFuture<?> retry;

    /** @param submitted the session's count of frames submitted: the next sequence */
    HeldFrames(ArgusClient client, StreamSpec spec, AtomicLong submitted, InOrderDelivery delivery, StreamRoute route) {
        this.spec = spec;
        this.control = client.control();
        this.sequenced = spec.sequenced();
        this.submitted = submitted;
        this.delivery = delivery;
        this.route = route;
        this.replay = new ReplayBuffer(spec.replay());
        this.timeouts = new FrameTimeouts(spec.frameTimeoutMs(), spec.maxAttempts(), sequenced,
                spec.suspicion().sequencedStallMs());
    }

    /** A frame just submitted: sent when the window and the connection allow, failed if the session is closed. */
    void submit(PendingFrame p) {
        if (route.closed) {
            deliver(p, null, Code.UNAVAILABLE, "session closed");
            return;
        }
        unanswered.put(p.seq, p);
        dispatch();
    }

    void dispatch() {
        if (route.conn != null && !route.conn.isActive()) {
            // closed under us, its close callback not yet run: move now, and not back to it
            route.onConnectionLost(route.conn, "connection to " + route.agentId + " closed");
            return;
        }
        if (route.conn == null) {
            route.ensureConnection();
            return;
        }
        // in sequence order: frames being replayed (all earlier than any undelivered one) first
        for (PendingFrame p : replay.frames()) {
            if (p.sentOn != null || !p.orphaned) {
                continue;
            }
            if (route.conn.credits() <= 0) {
                return;
            }
            replayedSends++;
            send(p);
        }
        for (PendingFrame p : unanswered.values()) {
            if (p.sentOn != null) {
                continue;
            }
            if (route.conn.credits() <= 0) {
                return; // resumed by onCredit
            }
            send(p);
        }
    }

    private void send(PendingFrame p) {
        AgentConnection c = Objects.requireNonNull(route.conn); // sent only while connected
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
        p.agent = Objects.requireNonNull(route.agentId); // set together with conn
        c.send(p.request, p.wire).whenComplete((r, err) -> control.execute(() -> answers.onAnswer(p, c, r, err)));
    }

    /** See {@link ReplayBuffer#resend(long)}. */
    boolean resendHeld(long seq) {
        return replay.resend(seq);
    }

    /** The lowest sequence this client still holds (replay buffer or undelivered), else the next to submit. */
    long lowestHeld() {
        long low = submitted.get();
        if (!replay.isEmpty()) {
            low = Math.min(low, replay.first());
        }
        if (!unanswered.isEmpty()) {
            low = Math.min(low, unanswered.firstKey());
        }
        return low;
    }

    void scheduleRetry(long delayMs) {
        if (retry == null || retry.isDone()) {
            retry = control.schedule(this::dispatch, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    void checkTimeouts() {
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
                    route.suspect(p.agent, "frame timeout");
                    if (stuck != null && stuck == route.conn) {
                        route.switchAway(stuck, "frame timeout");
                    }
                    redispatch = true;
                }
            }
        }
        if (redispatch) {
            dispatch();
        }
    }

    void deliver(PendingFrame p, @Nullable FrameResult r, Code code, @Nullable String message) {
        unanswered.remove(p.seq);
        boolean kept = sequenced && !route.closed && code != Code.UNAVAILABLE && code != Code.TIMEOUT
                && code != Code.OUT_OF_ORDER && replay.retain(p);
        if (!kept) {
            p.release(); // never applied, not sequenced, or nothing will be replayed any more
        }
        long latency = Envelopes.nowMicros() - p.captureUs;
        delivery.complete(p.seq, new StreamResult(spec.streamId(), p.request.getSourceIndex(), r, code,
                message == null ? "" : message, r != null ? r.getAgentId() : p.agent, p.captureUs, latency,
                p.attempts, p.context));
    }

    /** On close, after the route: every undelivered frame is failed, and nothing is kept for replay. */
    void close() {
        for (PendingFrame p : new ArrayList<>(unanswered.values())) {
            deliver(p, null, Code.UNAVAILABLE, "session closed");
        }
        replay.clear();
    }
}
