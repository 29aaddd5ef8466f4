package io.argus.protocol.client;

import io.argus.protocol.codec.FrameCodec;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Pipeline of a client connection: [TLS], idle detection, framing, {@link ClientHandler}. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ClientOptions options;
    private final InetSocketAddress address;
    private final CompletableFuture<AgentConnection> ready;
    private final ConnectionListener listener;
    private final @Nullable String peerName;

    ClientChannelInitializer(ClientOptions options, InetSocketAddress address,
                             CompletableFuture<AgentConnection> ready, ConnectionListener listener, @Nullable String peerName) {
        this.options = options;
        this.peerName = peerName;
        this.address = address;
        this.ready = ready;
        this.listener = listener;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (options.sslContext() != null) {
            p.addLast("tls", options.sslContext().newHandler(ch.alloc(), address.getHostString(), address.getPort()));
        }
        p.addLast("idle", new IdleStateHandler(options.heartbeatTimeoutMs(), options.heartbeatIntervalMs(), 0,
                TimeUnit.MILLISECONDS));
        FrameCodec.install(p, options.maxFrameBytes());
        p.addLast("client", new ClientHandler(AgentConnection.create(ch, options, listener), ready,
                options.sslContext() == null ? null : peerName));
    }
}
