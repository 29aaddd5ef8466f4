package io.argus.agent.net;

import io.argus.protocol.codec.FrameCodec;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;

/**
 * Pipeline of an agent connection, in order:
 * <pre>
 * limiter     caps concurrent connections
 * tls         (when configured) TLS 1.3
 * idle        fires READER_IDLE after the idle timeout without a byte
 * codec       varint32 framing (bounded) + Envelope parsing; frames as AliasedFrame (no copy)
 * handshake   Hello/Welcome, then removes itself
 * heartbeat   Ping/Pong, closes idle connections
 * frames      frames, stream control, typed errors
 * </pre>
 */
final class AgentChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final AgentRuntime rt;
    private final ConnectionLimiter limiter;
    private final @Nullable SslContext ssl;

    AgentChannelInitializer(AgentRuntime rt, ConnectionLimiter limiter, @Nullable SslContext ssl) {
        this.rt = rt;
        this.limiter = limiter;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limiter", limiter);
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast("idle", new IdleStateHandler(rt.config().idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
        FrameCodec.install(p, rt.config().maxFrameBytes(), true); // images stay in the socket's buffers
        p.addLast("handshake", new HandshakeHandler(rt));
        p.addLast("heartbeat", new HeartbeatHandler());
        p.addLast("frames", new FrameRequestHandler(rt));
    }
}
