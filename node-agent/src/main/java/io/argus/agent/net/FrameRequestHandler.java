package io.argus.agent.net;

import com.google.protobuf.InvalidProtocolBufferException;
import io.argus.agent.exec.AdaptiveShedder.Ticket;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.LaneJob;
import io.argus.agent.image.NativeMemory;
import io.argus.agent.state.Sequencer;
import io.argus.agent.task.FrameRefused;
import io.argus.protocol.Envelopes;
import io.argus.protocol.auth.Grant;
import io.argus.protocol.cluster.ZkPaths;
import io.argus.protocol.codec.AliasedFrame;
import io.argus.protocol.codec.FrameCodec;
import io.argus.protocol.codec.MalformedEnvelope;
import io.argus.protocol.codec.OversizedFrame;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.Subscribe;
import io.argus.task.api.TaskException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admits frames and hands them to the stream lanes; answers every frame exactly once, with a
 * {@code FrameResult} or a frame-scoped {@code Error}.
 *
 * <p>Flow control: a connection may have {@code creditsPerConnection} frames in flight. At that
 * point the handler stops reading from the socket (TCP backpressure), so a client that ignores
 * credits fills its own send buffer, not the agent's memory; frames that were already read past
 * the window are answered {@code OVERLOADED}. Reading resumes as results go out.
 *
 * <p>All fields are confined to the channel's event loop; workers reach them through
 * {@code ctx.executor()}.
 */
final class FrameRequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameRequestHandler.class);
    /** Malformed or oversized messages tolerated per connection before it is treated as hostile. */
    static final int MAX_BAD_MESSAGES = 100;

    private final AgentRuntime rt;
    private final Set<String> streams = new HashSet<>();
    private int inFlight;
    private int badMessages;
    /** Set by the handshake, before any other message reaches this handler. */
    private Party party = new Party("", Grant.VIEWER);

    FrameRequestHandler(AgentRuntime rt) {
        this.rt = rt;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete h) {
            party = new Party(h.clientId(), h.grant());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof OversizedFrame o) {
                rt.metrics().rejected(Code.TOO_LARGE, "frame-bytes");
                bad(ctx, Code.TOO_LARGE, "message of " + o.declaredLength() + " bytes exceeds the limit of "
                        + o.limit() + "; it was discarded unread");
            } else if (msg instanceof MalformedEnvelope m) {
                rt.metrics().rejected(Code.BAD_REQUEST, "malformed");
                bad(ctx, Code.BAD_REQUEST, "malformed message (" + m.length() + " bytes): " + m.reason());
            } else if (msg instanceof AliasedFrame f) {
                onFrame(ctx, f.request(), f);
            } else if (msg instanceof Envelope e) {
                switch (e.getBodyCase()) {
                    case FRAME_REQUEST -> onFrame(ctx, e.getFrameRequest(), null);
                    case STREAM_CONTROL -> onControl(ctx, e.getStreamControl());
                    case SUBSCRIBE -> {
                        onSubscribe(ctx, e.getSubscribe());
                    }
                    case UNSUBSCRIBE -> rt.viewers().unsubscribe(ctx.channel(), e.getUnsubscribe().getStreamId());
                    case GOODBYE -> ctx.close();
                    default -> bad(ctx, Code.BAD_REQUEST, "unexpected " + e.getBodyCase() + " from a client");
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void bad(ChannelHandlerContext ctx, Code code, @Nullable String message) {
        if (++badMessages > MAX_BAD_MESSAGES) {
            ctx.writeAndFlush(Envelopes.error(code, message + "; too many bad messages, closing", true))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(Envelopes.error(code, message, false));
    }

    /**
     * @param buffer the network buffer the image lives in (the request aliases it), or null when
     *               the request owns its bytes; released by the caller after this returns, so a
     *               queued frame takes a reference of its own
     */
    private void onFrame(ChannelHandlerContext ctx, FrameRequest req, @Nullable AliasedFrame buffer) {
        long received = System.nanoTime();
        if (rt.admission().draining()) {
            refuse(ctx, req, Code.UNAVAILABLE, "agent is shutting down");
            return;
        }
        try {
            // only the stream id, which names the frame's lane; the rest is checked on a worker
            FramePipeline.validateStreamId(req);
        } catch (TaskException e) {
            refuse(ctx, req, e.code(), e.getMessage());
            return;
        }
        int window = rt.config().creditsPerConnection();
        if (inFlight >= window) {
            refuse(ctx, req, Code.OVERLOADED, "no credit: " + inFlight + " frames already in flight (window " + window + ")");
            return;
        }
        if (rt.admission().fenced()) {
            // not only new streams: the cluster may be moving this connection's streams elsewhere
            refuse(ctx, req, Code.UNAVAILABLE, "agent is fenced (lost ZooKeeper): its streams are handed back");
            return;
        }
        String stream = req.getStreamId();
        StreamAccess.Verdict may = rt.access().write(party, stream);
        if (!may.allowed()) {
            refuse(ctx, req, Code.PERMISSION_DENIED, may.refusal());
            return;
        }
        if (!streams.contains(stream)) {
            if (streams.size() >= rt.config().maxStreamsPerConnection()) {
                refuse(ctx, req, Code.OVERLOADED, "connection already has " + streams.size() + " streams");
                return;
            }
            streams.add(stream);
        }
        // live frames may be shed; a recording's never are: its client waits for credit instead
        Ticket ticket = req.getLive() ? rt.shedder().allow() : rt.shedder().admit();
        if (ticket == null) {
            rt.metrics().rejected(Code.OVERLOADED, "shed");
            ctx.writeAndFlush(Envelopes.frameError(req, Code.OVERLOADED, rt.shedder().describe()));
            return;
        }
        inFlight++;
        if (inFlight >= window) {
            ctx.channel().config().setAutoRead(false);
        }
        if (buffer != null) {
            buffer.retain();
        }
        String refusal = rt.lanes().submit(stream, new FrameJob(ctx, req, buffer, received, ticket));
        if (refusal != null) {
            ReferenceCountUtil.release(buffer);
            ticket.fail();
            inFlight--;
            refuse(ctx, req, Code.OVERLOADED, refusal);
            resumeIfBelowWindow(ctx);
        }
    }

    private void refuse(ChannelHandlerContext ctx, FrameRequest req, Code code, @Nullable String message) {
        rt.metrics().rejected(code, "admission");
        ctx.writeAndFlush(Envelopes.frameError(req, code, message));
    }

    private void onSubscribe(ChannelHandlerContext ctx, Subscribe s) {
        if (!ZkPaths.isValidName(s.getStreamId())) {
            bad(ctx, Code.BAD_REQUEST, "invalid stream id in Subscribe");
            return;
        }
        StreamAccess.Verdict may = rt.access().view(party, s.getStreamId());
        if (!may.allowed()) {
            rt.metrics().rejected(Code.PERMISSION_DENIED, "subscribe");
            bad(ctx, Code.PERMISSION_DENIED, may.refusal());
            return;
        }
        int max = rt.config().maxSubscriptionsPerConnection();
        if (!rt.viewers().subscribe(ctx.channel(), s, max)) {
            rt.metrics().rejected(Code.OVERLOADED, "subscriptions");
            bad(ctx, Code.OVERLOADED, "this connection already follows " + max + " streams (the limit)");
        }
    }

    private void onControl(ChannelHandlerContext ctx, StreamControl c) {
        String stream = c.getStreamId();
        if (!ZkPaths.isValidName(stream)) {
            bad(ctx, Code.BAD_REQUEST, "invalid stream id in StreamControl");
            return;
        }
        StreamAccess.Verdict may = rt.access().write(party, stream);
        if (!may.allowed()) {
            // RELEASE would hand out the stream's state, RESET erase its counts, OPEN replace them
            rt.metrics().rejected(Code.PERMISSION_DENIED, "control");
            bad(ctx, Code.PERMISSION_DENIED, c.getAction() + " refused: " + may.refusal());
            return;
        }
        StateBundle imported = null;
        if (!c.getImportState().isEmpty()) {
            try {
                imported = StateBundle.parseFrom(c.getImportState());
            } catch (InvalidProtocolBufferException e) {
                bad(ctx, Code.BAD_REQUEST, "import_state is not a StateBundle: " + e.getMessage());
                return;
            }
        }
        StateBundle bundle = imported;
        // through the lane, so that it lands between frames of the stream, never during one
        rt.lanes().submit(stream, new LaneJob() {
            @Override
            public void run() {
                if (c.getAction() == StreamControl.Action.OPEN) {
                    if (c.getFresh()) {
                        rt.states().drop(stream);
                    }
                    long next = rt.states().acquire(stream, -1).open(c.getNextSequence(), bundle, c.getRun());
                    log.debug("stream {} opened at {} (client sends from {})", stream, next, c.getNextSequence());
                    return;
                }
                if (bundle != null) {
                    rt.states().acquire(stream, -1).stageImport(bundle);
                }
                if (c.getAction() == StreamControl.Action.RELEASE) {
                    rt.states().find(stream).ifPresent(st -> ctx.writeAndFlush(Envelope.newBuilder()
                            .setState(st.export(rt.agentId(), Envelopes.nowMicros())).build()));
                    rt.states().drop(stream);
                    rt.access().released(stream);
                } else if (c.getAction() == StreamControl.Action.RESET) {
                    rt.states().drop(stream);
                    rt.access().released(stream);
                }
            }

            @Override
            public void abort(Code code, String reason) {
                log.warn("stream control for {} not applied: {}", stream, reason);
            }
        });
    }

    private void resumeIfBelowWindow(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead() && inFlight < rt.config().creditsPerConnection()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Runs on a worker. */
    private final class FrameJob implements LaneJob {
        private final ChannelHandlerContext ctx;
        private final FrameRequest req;
        /** Holds the image's memory until the frame is done; null when req owns its bytes. */
        private final @Nullable AliasedFrame buffer;
        private final long received;
        private final Ticket ticket;
        /** Set by whoever answers first: the worker, or the watchdog when it gives the worker up. */
        private final AtomicBoolean answered = new AtomicBoolean();

        FrameJob(ChannelHandlerContext ctx, FrameRequest req, @Nullable AliasedFrame buffer, long received,
                 Ticket ticket) {
            this.ctx = ctx;
            this.req = req;
            this.buffer = buffer;
            this.received = received;
            this.ticket = ticket;
        }

        @Override
        public void run() {
            ByteBuf answer = null;
            FrameResult result = null;
            Sequencer order = null;
            try {
                if (!ctx.channel().isActive()) {
                    rt.metrics().rejected(Code.UNAVAILABLE, "client-gone");
                    return; // the client is gone and has moved the frame elsewhere; nothing applied
                }
                if (rt.pipeline().sequenced(req)) {
                    String notOwner = rt.ownership().refusal(req.getStreamId(), req.getEpoch());
                    if (notOwner != null) {
                        // nothing applied, nothing held: the owner the assignment names continues
                        // from the coordinators' checkpoint, and this agent's state stays as it was
                        rt.metrics().rejected(Code.NOT_OWNER, "ownership");
                        answer = reply(Envelopes.frameError(req, Code.NOT_OWNER, notOwner), Code.NOT_OWNER);
                        return;
                    }
                    order = rt.states().acquire(req.getStreamId(), req.getSourceIndex()).sequencer();
                    switch (order.check(req.getSequence())) {
                        case APPLY -> {
                        }
                        case DUPLICATE -> {
                            // a DUPLICATE has its answer held
                            answer = reply(replayed(Objects.requireNonNull(order.answer(req.getSequence()))), Code.OK);
                            return;
                        }
                        default -> {
                            answer = reply(outOfOrder(order), Code.OUT_OF_ORDER);
                            return;
                        }
                    }
                }
                long waitedMs = (System.nanoTime() - received) / 1_000_000;
                long deadline = req.getDeadlineMs() > 0 ? req.getDeadlineMs() : rt.config().frameDeadlineMs();
                if (waitedMs > deadline) {
                    // not applied: a sequenced stream still waits for this frame, and refuses the
                    // ones queued behind it until the client resends it
                    answer = reply(Envelopes.frameError(req, Code.TIMEOUT, "frame waited " + waitedMs
                            + " ms in the queue, over its deadline of " + deadline + " ms"), Code.TIMEOUT);
                    return;
                }
                rt.pipeline().validate(req);
                result = rt.pipeline().process(req, received);
                ticket.pass();
                FrameResult.Builder rb = result.toBuilder().setGapFrames(req.getGapFrames())
                        .setEpoch(rt.recorder().epoch(req.getStreamId()));
                if (rt.shedder().hot()) {
                    // processed, but the agent is refusing other frames right now: say so, never silently
                    rb.setDegraded(true);
                }
                result = rb.build();
                answer = reply(applied(order, Envelope.newBuilder().setFrameResult(result).build()), Code.OK);
                if (order != null && !abandoned()) {
                    rt.recorder().applied(rt.states().acquire(req.getStreamId(), req.getSourceIndex()));
                }
            } catch (FrameRefused e) {
                // a passing refusal (state memory full, native memory refused): nothing applied,
                // so a sequenced stream still waits for this frame, as after a queue timeout
                rt.metrics().rejected(e.code(), "memory");
                answer = reply(Envelopes.frameError(req, e.code(), e.getMessage()), e.code());
            } catch (TaskException e) {
                // decided by the frame itself (bad parameters, undecodable image, too large): the
                // same every time, so a sequenced stream moves past it
                answer = reply(applied(order, Envelopes.frameError(req, e.code(), e.getMessage())), e.code());
            } catch (Throwable t) {
                log.error("frame {}#{} failed", req.getStreamId(), req.getSequence(), t);
                result = null;
                // moved past too: the tasks may have changed the state, and a frame that fails
                // this way would fail again on every resend (a stream stuck behind it is worse)
                // JavaCPP refusing native memory past its limits is not a bug: a typed OVERLOADED
                Code code = NativeMemory.isJavaCppLimit(t) ? Code.OVERLOADED : Code.INTERNAL;
                answer = reply(applied(order, Envelopes.frameError(req, code, t.getClass().getSimpleName()
                        + ": " + t.getMessage())), code);
            } finally {
                ReferenceCountUtil.release(buffer); // the image was decoded (or never will be)
                ticket.fail(); // no-op after pass()
                rt.load().record();
                answerOnce(answer);
            }
            if (result == null || abandoned()) {
                return; // given up as stuck: the client has its TIMEOUT, and nothing of it is recorded
            }
            try {
                rt.recorder().record(result);
                rt.viewers().publish(req.getStreamId(), result, null);
            } catch (RuntimeException e) {
                log.error("recording the result of {}#{} failed", req.getStreamId(), req.getSequence(), e);
            }
        }

        private boolean abandoned() {
            return answered.get();
        }

        /** Sends the worker's answer unless the watchdog answered for this frame already. */
        private void answerOnce(@Nullable ByteBuf answer) {
            if (answered.compareAndSet(false, true)) {
                answerAndFree(answer);
            } else {
                ReferenceCountUtil.release(answer);
            }
        }

        /** Marks a sequenced frame applied, keeping its answer for resends. */
        private Envelope applied(@Nullable Sequencer order, Envelope answer) {
            Envelope out = withCheckpoint(answer);
            if (order != null) {
                order.applied(req.getSequence(), out);
            }
            return out;
        }

        /** Tells the client which frames it may forget: those a coordinator holds in a checkpoint. */
        private Envelope withCheckpoint(Envelope e) {
            long confirmed = rt.recorder().confirmedCheckpoint(req.getStreamId());
            if (!e.hasFrameResult() || confirmed < 0) {
                return e;
            }
            return e.toBuilder().setFrameResult(e.getFrameResult().toBuilder()
                    .setCheckpointSequence(confirmed).setHasCheckpointSequence(true)).build();
        }

        private Envelope replayed(Envelope stored) {
            rt.metrics().replayedAnswer();
            return stored.hasFrameResult()
                    ? withCheckpoint(stored.toBuilder().setFrameResult(stored.getFrameResult().toBuilder().setReplayed(true)).build())
                    : stored;
        }

        private Envelope outOfOrder(Sequencer order) {
            String why = !order.isOpen()
                    ? "stream " + req.getStreamId() + " is not open on this agent: send StreamControl.OPEN (with its checkpoint) first"
                    : req.getSequence() > order.next()
                    ? "frame " + req.getSequence() + " is ahead: the next frame to apply is " + order.next()
                    : "frame " + req.getSequence() + " was applied already and its answer is no longer kept (next is "
                    + order.next() + ")";
            Envelope e = Envelopes.frameError(req, Code.OUT_OF_ORDER, why);
            io.argus.protocol.v1.Error.Builder err = e.getError().toBuilder();
            if (order.isOpen()) {
                err.setExpectedSequence(order.next()).setHasExpectedSequence(true);
            }
            return Envelope.newBuilder().setError(err).build();
        }

        /** Counts the outcome and serializes the answer here, on the worker, not on the event loop. */
        private ByteBuf reply(Envelope e, Code status) {
            rt.metrics().frame(status);
            return FrameCodec.encode(ctx.alloc(), e);
        }

        /**
         * One task on the event loop both writes the answer and frees the frame's place in the
         * window: one wake-up of the loop per frame instead of two.
         */
        private void answerAndFree(@Nullable ByteBuf answer) {
            try {
                ctx.executor().execute(() -> {
                    if (answer != null) {
                        ctx.writeAndFlush(answer, ctx.voidPromise());
                    }
                    inFlight--;
                    resumeIfBelowWindow(ctx);
                });
            } catch (RejectedExecutionException closed) {
                ReferenceCountUtil.release(answer); // the event loop is gone, and the connection with it
            }
        }

        @Override
        public void abort(Code code, String reason) {
            ReferenceCountUtil.release(buffer);
            ticket.fail();
            answerOnce(reply(Envelopes.frameError(req, code, reason), code));
        }

        /** The worker is stuck on this frame: answer now, but leave the image to the worker. */
        @Override
        public void abandon(Code code, String reason) {
            ticket.fail();
            if (answered.compareAndSet(false, true)) {
                answerAndFree(reply(Envelopes.frameError(req, code, reason), code));
            }
        }
    }
}
