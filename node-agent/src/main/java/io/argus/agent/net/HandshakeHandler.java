package io.argus.agent.net;

import io.argus.agent.AgentConfig;
import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.auth.Grant;
import io.argus.protocol.auth.RoleTokens;
import io.argus.protocol.codec.AliasedFrame;
import io.argus.protocol.codec.MalformedEnvelope;
import io.argus.protocol.codec.OversizedFrame;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.Hello;
import io.argus.protocol.v1.Limits;
import io.argus.protocol.v1.Welcome;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * First handler after the codec. The first message must be a {@code Hello} with protocol version
 * 1 and, when the agent has tokens, a valid one, within the handshake timeout. Otherwise the peer
 * gets a fatal {@code Error} (VERSION_MISMATCH, UNAUTHENTICATED or BAD_REQUEST) and is closed.
 * On success it answers {@code Welcome} and removes itself.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private final AgentRuntime rt;
    private final RoleTokens tokens;
    private @Nullable ScheduledFuture<?> timeout;

    HandshakeHandler(AgentRuntime rt) {
        this.rt = rt;
        this.tokens = RoleTokens.of(rt.config().authTokens());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> reject(ctx, Code.BAD_REQUEST,
                "no Hello within " + rt.config().handshakeTimeoutMs() + " ms"),
                rt.config().handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof Envelope e) || e.getBodyCase() != Envelope.BodyCase.HELLO) {
                String what = msg instanceof Envelope e ? e.getBodyCase().name()
                        : msg instanceof AliasedFrame ? "FRAME_REQUEST"
                        : msg instanceof OversizedFrame ? "an oversized frame"
                        : msg instanceof MalformedEnvelope ? "a malformed message" : "data";
                reject(ctx, Code.BAD_REQUEST, "expected Hello first, got " + what);
                return;
            }
            Hello hello = e.getHello();
            if (hello.getProtocolVersion() != ProtocolConstants.VERSION) {
                reject(ctx, Code.VERSION_MISMATCH, "agent speaks argus.v" + ProtocolConstants.VERSION
                        + ", client sent version " + hello.getProtocolVersion());
                return;
            }
            Optional<Grant> grant = tokens.grant(hello.getAuthToken());
            if (grant.isEmpty()) {
                rt.metrics().rejected(Code.UNAUTHENTICATED, "token");
                reject(ctx, Code.UNAUTHENTICATED, "missing or invalid auth token");
                return;
            }
            if (rt.admission().draining()) {
                reject(ctx, Code.UNAVAILABLE, "agent is shutting down");
                return;
            }
            Objects.requireNonNull(timeout).cancel(false); // scheduled when the handler was added
            AgentConfig cfg = rt.config();
            ctx.writeAndFlush(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                    .setProtocolVersion(ProtocolConstants.VERSION)
                    .setAgentId(rt.agentId())
                    .addAllCapabilities(rt.tasks().names())
                    .setLimits(Limits.newBuilder()
                            .setMaxFrameBytes(cfg.maxFrameBytes())
                            .setMaxPixels(cfg.maxPixels())
                            .setMaxDimension(cfg.maxDimension())
                            .setMaxStreams(cfg.maxStreamsPerConnection())
                            .setWorkers(cfg.workers()))
                    .setInitialCredits(cfg.creditsPerConnection())
                    .setHeartbeatIntervalMs(ProtocolConstants.DEFAULT_HEARTBEAT_INTERVAL_MS)
                    .setAgentVersion("argus-0.1")).build());
            rt.channels().add(ctx.channel());
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(new HandshakeComplete(hello.getClientId(), hello.getRole(), grant.get()));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void reject(ChannelHandlerContext ctx, Code code, String message) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.writeAndFlush(Envelopes.error(code, message, true)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
