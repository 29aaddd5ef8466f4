package io.argus.agent.net;

import io.argus.protocol.net.Transport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's small HTTP port: {@code GET /metrics} (Prometheus text) and {@code GET /healthz}
 * (JSON; 503 when the agent is degraded, so that a load balancer or supervisor acts on it).
 * Requests are tiny (bodies over 8 KiB are refused) and a connection idle for 10 s is closed.
 */
public final class MetricsServer implements AutoCloseable {
    /** The agent's health: its JSON, and whether it is fit to serve. */
    public record Health(String json, boolean ok) {
    }

    private final EventLoopGroup group = Transport.group(1);
    private final Channel channel;

    public MetricsServer(String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws InterruptedException {
        Channel bound;
        try {
            bound = new ServerBootstrap().group(group).channel(Transport.serverSocketChannel(group))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(10, TimeUnit.SECONDS), new HttpServerCodec(),
                                new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        String path = req.uri().split("\\?")[0];
                                        String body;
                                        HttpResponseStatus status = HttpResponseStatus.OK;
                                        String type = "text/plain; version=0.0.4; charset=utf-8";
                                        if (path.equals("/metrics")) {
                                            body = registry.scrape();
                                        } else if (path.equals("/healthz")) {
                                            Health h = health.get();
                                            body = h.json();
                                            status = h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
                                            type = "application/json";
                                        } else {
                                            status = HttpResponseStatus.NOT_FOUND;
                                            body = "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"use /metrics or /healthz\"}}";
                                            type = "application/json";
                                        }
                                        var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                                                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
                                        HttpUtil.setContentLength(r, r.content().readableBytes());
                                        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                }).bind(host, port).sync().channel();
        } catch (Throwable t) {
            // the port is taken (say): the event loop must not outlive the failed start
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            throw t;
        }
        this.channel = bound;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
