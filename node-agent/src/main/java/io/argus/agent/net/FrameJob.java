package io.argus.agent.net;

import org.jspecify.annotations.Nullable;
import java.util.Objects;
import io.argus.agent.exec.LaneJob;
import io.argus.agent.state.Sequencer;
import io.argus.protocol.Envelopes;
import io.argus.protocol.codec.AliasedFrame;
import io.argus.protocol.codec.FrameCodec;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.task.api.TaskException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted frame, run on a worker of its stream's lane: the ownership and sequence checks of a
 * sequenced stream, the queue deadline, the tasks, then exactly one answer (the worker's, or the
 * watchdog's when it gives the worker up), written on the event loop together with the release of
 * the frame's place in the connection's window ({@link FrameRequestHandler#frameDone}). The
 * answers' contents are built by {@link FrameAnswers}.
 */
final class FrameJob implements LaneJob {
    private static final Logger log = LoggerFactory.getLogger(FrameJob.class);
    private final AgentRuntime rt;
    private final FrameRequestHandler window;
    private final ChannelHandlerContext ctx;
    private final FrameRequest req;
    /** Holds the image's memory until the frame is done; null when req owns its bytes. */
    private final @Nullable AliasedFrame buffer;
    private final long received;
    private final io.argus.agent.exec.AdaptiveShedder.Ticket ticket;
    /** Set by whoever answers first: the worker, or the watchdog when it gives the worker up. */
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    FrameJob(AgentRuntime rt, FrameRequestHandler window, ChannelHandlerContext ctx, FrameRequest req,
             @Nullable AliasedFrame buffer, long received, io.argus.agent.exec.AdaptiveShedder.Ticket ticket) {
        this.rt = rt;
        this.window = window;
        this.ctx = ctx;
        this.req = req;
        this.buffer = buffer;
        this.received = received;
        this.ticket = ticket;
    }

    @Override
    public void run() {
        ByteBuf answer = null;
        boolean answeredHere = false;
        boolean checkpoint = false;
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
                        answer = reply(FrameAnswers.replayed(rt, req, Objects.requireNonNull(order.answer(req.getSequence()))), Code.OK);
                        return;
                    }
                    default -> {
                        answer = reply(FrameAnswers.outOfOrder(req, order), Code.OUT_OF_ORDER);
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
            answer = reply(FrameAnswers.applied(rt, req, order, Envelope.newBuilder().setFrameResult(result).build()), Code.OK);
            checkpoint = order != null;
        } catch (io.argus.agent.task.FrameRefused e) {
            // a passing refusal (state memory full, native memory refused): nothing applied,
            // so a sequenced stream still waits for this frame, as after a queue timeout
            rt.metrics().rejected(e.code(), "memory");
            answer = reply(Envelopes.frameError(req, e.code(), e.getMessage()), e.code());
        } catch (TaskException e) {
            // decided by the frame itself (bad parameters, undecodable image, too large): the
            // same every time, so a sequenced stream moves past it
            answer = reply(FrameAnswers.applied(rt, req, order, Envelopes.frameError(req, e.code(), e.getMessage())), e.code());
        } catch (Throwable t) {
            log.error("frame {}#{} failed", req.getStreamId(), req.getSequence(), t);
            result = null;
            // moved past too: the tasks may have changed the state, and a frame that fails
            // this way would fail again on every resend (a stream stuck behind it is worse)
            // JavaCPP refusing native memory past its limits is not a bug: a typed OVERLOADED
            Code code = io.argus.media.image.NativeMemory.isJavaCppLimit(t) ? Code.OVERLOADED : Code.INTERNAL;
            answer = reply(FrameAnswers.applied(rt, req, order, Envelopes.frameError(req, code, t.getClass().getSimpleName()
                    + ": " + t.getMessage())), code);
        } finally {
            ReferenceCountUtil.release(buffer); // the image was decoded (or never will be)
            ticket.fail(); // no-op after pass()
            rt.load().record();
            answeredHere = answerOnce(answer);
        }
        // recorded only when this worker's answer is the frame's: after the watchdog answered for
        // it (a stuck worker), the stream's state is forgotten and nothing of the frame counts.
        // (Testing the answered flag here, which this worker's own answer sets, skipped every
        // client frame's events.)
        if (!answeredHere) {
            return; // given up as stuck: the client has its TIMEOUT, and nothing of it is recorded
        }
        if (result != null) {
            try {
                if (!req.getWarmUp()) {
                    // a warm-up frame's events belong to the frames another stream owns and records
                    rt.recorder().record(result);
                }
                rt.viewers().publish(req.getStreamId(), result, null);
            } catch (RuntimeException e) {
                log.error("recording the result of {}#{} failed", req.getStreamId(), req.getSequence(), e);
            }
        }
        if (checkpoint) {
            // after the frame's events, never before: the link sends a checkpoint only with the
            // events queued ahead of it, so a coordinator holding the checkpoint of this frame
            // holds its events too (queued the other way round, a batch could carry the
            // checkpoint without them, and a client trimming its replay to it would lose them)
            try {
                rt.recorder().applied(rt.states().acquire(req.getStreamId(), req.getSourceIndex()));
            } catch (RuntimeException e) {
                log.error("checkpointing {}#{} failed", req.getStreamId(), req.getSequence(), e);
            }
        }
    }

    /**
     * Sends the worker's answer unless the watchdog answered for this frame already.
     *
     * @return whether this answer was sent (false: another answer was, and this one is freed)
     */
    private boolean answerOnce(@Nullable ByteBuf answer) {
        if (answered.compareAndSet(false, true)) {
            answerAndFree(answer);
            return true;
        }
        ReferenceCountUtil.release(answer);
        return false;
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
                window.frameDone(ctx);
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
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
