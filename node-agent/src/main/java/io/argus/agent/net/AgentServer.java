package io.argus.agent.net;

import io.argus.protocol.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The agent's frame server. One acceptor thread, and event loops sized to the cores (at most 2):
 * they only frame, parse and route; image work happens on the worker pool.
 */
public final class AgentServer implements AutoCloseable {
    private final EventLoopGroup boss = Transport.group(1);
    private final EventLoopGroup loops;
    private final Channel serverChannel;

    public AgentServer(AgentRuntime rt, @Nullable SslContext ssl) throws InterruptedException {
        this.loops = Transport.group(Math.min(2, Runtime.getRuntime().availableProcessors()));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, loops)
                .channel(Transport.serverSocketChannel(loops))
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                // sockets read into pooled direct buffers (a heap buffer costs the JDK a copy through
                // a temporary direct one); large frames are assembled from them into recycled heap
                // buffers, parsed in place and copied once, into OpenCV's memory (LengthPrefixDecoder,
                // EnvelopeDecoder)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new AgentChannelInitializer(rt, new ConnectionLimiter(rt.config().maxConnections()), ssl));
        try {
            this.serverChannel = b.bind(rt.config().bindHost(), rt.config().port()).sync().channel();
        } catch (Throwable t) {
            // the port is taken (say): the event loops must not outlive the failed start
            shutdownLoops();
            throw t;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting; existing connections stay open. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdownLoops();
    }

    private void shutdownLoops() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
