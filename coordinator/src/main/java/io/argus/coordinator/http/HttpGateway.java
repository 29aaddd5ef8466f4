package io.argus.coordinator.http;

import io.argus.protocol.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: Netty's HTTP codec, an aggregator that refuses bodies over the limit from the
 * Content-Length header (413 before reading them, see {@link JsonErrorAggregator}), and the {@link HttpApi} router. A connection
 * that sends nothing for 30 s is closed; one whose request is not complete within the request
 * deadline gets 408 and is closed ({@link RequestDeadline}: a client trickling bytes is never idle);
 * connections over the {@link ConnectionBudget} are closed as they are accepted.
 */
public final class HttpGateway implements AutoCloseable {
    /** A connection that sends nothing for this long is closed (between requests; within one the deadline applies). */
    static final int IDLE_SECONDS = 30;
    private final Channel channel;

    public HttpGateway(EventLoopGroup group, String bindHost, int port, int maxBodyBytes, HttpApi api, @Nullable SslContext ssl,
                       ConnectionBudget budget, long requestDeadlineMs) throws InterruptedException {
        RequestDeadline deadline = new RequestDeadline(requestDeadlineMs);
        this.channel = new ServerBootstrap().group(group).channel(Transport.serverSocketChannel(group))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!budget.admit(ch)) {
                            ch.close(); // over budget: closed before a byte is read or a handler added
                            return;
                        }
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("timeout", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS));
                        ch.pipeline().addLast("deadlineStart", deadline.start());
                        ch.pipeline().addLast("halfClose", HalfClose.INSTANCE);
                        ch.pipeline().addLast("http", new HttpServerCodec(4096, 16 * 1024, 64 * 1024));
                        ch.pipeline().addLast("continue", new HttpServerExpectContinueHandler());
                        ch.pipeline().addLast("aggregate", new JsonErrorAggregator(maxBodyBytes));
                        ch.pipeline().addLast("deadlineComplete", deadline.complete());
                        ch.pipeline().addLast("api", api);
                    }
                }).bind(bindHost, port).sync().channel();
    }

    /**
     * Refuses an oversized body with the API's JSON error body, then lingers before closing.
     *
     * <p>Why linger: the client is usually still sending the body when the 413 goes out. Closing at
     * once leaves unread bytes in the kernel's receive buffer, the kernel answers with a TCP reset,
     * and the reset can destroy the 413 before the client reads it (the client then sees a bare
     * "connection reset" instead of the reason). The aggregator discards the rest of the body while
     * we linger; after {@link #LINGER_MS} the connection closes whatever the client is still doing,
     * so a client that streams forever holds the socket for at most that long.
     */
    static final class JsonErrorAggregator extends HttpObjectAggregator {
        static final long LINGER_MS = 2_000;

        JsonErrorAggregator(int max) {
            super(max, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse r = HttpResponses.errorResponse(new ApiException(413, "TOO_LARGE",
                    "request body exceeds the limit of " + maxContentLength() + " bytes"));
            HttpUtil.setContentLength(r, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(f ->
                    ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS));
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
