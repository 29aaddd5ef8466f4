package io.argus.agent.net;

import com.google.protobuf.InvalidProtocolBufferException;
import io.argus.agent.exec.AdaptiveShedder.Ticket;
import io.argus.agent.exec.FramePipeline;
import io.argus.protocol.Envelopes;
import io.argus.protocol.auth.Grant;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.codec.AliasedFrame;
import io.argus.protocol.codec.MalformedEnvelope;
import io.argus.protocol.codec.OversizedFrame;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.Subscribe;
import io.argus.task.api.TaskException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import java.util.HashSet;
import java.util.Set;

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
 *
 * <p>This class checks and dispatches what a client sends (frames, stream controls, subscriptions);
 * an admitted frame runs as a {@link FrameJob}, a stream control as a {@link StreamControlJob}.
 */
final class FrameRequestHandler extends ChannelInboundHandlerAdapter {
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
        String refusal = rt.lanes().submit(stream, new FrameJob(rt, this, ctx, req, buffer, received, ticket));
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
        if (c.getAction() == StreamControl.Action.RESET || c.getAction() == StreamControl.Action.RELEASE) {
            // the connection is done with the stream: it no longer counts against maxStreamsPerConnection.
            // Without this, a client that uses a fresh stream per request (the gateway) was refused
            // OVERLOADED for good after its 64th, although it reset every one of them
            streams.remove(stream);
        }
        // through the lane, so that it lands between frames of the stream, never during one
        rt.lanes().submit(stream, new StreamControlJob(rt, ctx, c, imported));
    }

    /** A frame was answered (on the event loop): its place in the window is free again. */
    void frameDone(ChannelHandlerContext ctx) {
        inFlight--;
        resumeIfBelowWindow(ctx);
    }

    private void resumeIfBelowWindow(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead() && inFlight < rt.config().creditsPerConnection()) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}
