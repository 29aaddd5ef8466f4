package io.argus.coordinator.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client takes to send one whole request. The read timeout alone does not: a
 * client that sends one byte every 2 s is never idle for 30 s, and 300 such clients were all still
 * open after 76 s. The clock starts when the connection opens, and again at the first byte of each
 * further request; it stops when the aggregator hands over the complete request. If it runs out,
 * the client gets 408 with a JSON body and the connection closes.
 *
 * <p>Two handlers share the clock through a channel attribute: {@link #start()} sits before the
 * HTTP codec and sees raw bytes, {@link #complete()} sits after the aggregator and sees whole
 * requests. Both run on the channel's event loop, so the clock needs no locking.
 */
final class RequestDeadline {
    private static final AttributeKey<ScheduledFuture<?>> CLOCK = AttributeKey.valueOf("argus.http.deadline");
    private final long deadlineMs;

    RequestDeadline(long deadlineMs) {
        if (deadlineMs < 1) {
            throw new IllegalArgumentException("request deadline " + deadlineMs + " ms");
        }
        this.deadlineMs = deadlineMs;
    }

    /** Before the codec: starts the clock at the opening and at the first byte of a request. */
    ChannelDuplexHandler start() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                arm(ctx.channel());
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof ByteBuf b && b.isReadable()) {
                    arm(ctx.channel()); // no-op while a clock runs: a started request keeps its first deadline
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                stop(ctx.channel());
                super.channelInactive(ctx);
            }
        };
    }

    /** After the aggregator: the request is complete, the clock stops. */
    ChannelInboundHandlerAdapter complete() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof FullHttpRequest) {
                    stop(ctx.channel());
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void arm(Channel ch) {
        if (ch.attr(CLOCK).get() != null || !ch.isActive()) {
            return;
        }
        ch.attr(CLOCK).set(ch.eventLoop().schedule(() -> expired(ch), deadlineMs, TimeUnit.MILLISECONDS));
    }

    private static void stop(Channel ch) {
        ScheduledFuture<?> f = ch.attr(CLOCK).getAndSet(null);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void expired(Channel ch) {
        ch.attr(CLOCK).set(null);
        if (!ch.isActive()) {
            return;
        }
        FullHttpResponse r = HttpResponses.errorResponse(JsonErrors.requestTimeout(deadlineMs));
        HttpUtil.setContentLength(r, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // from the tail, through the HTTP encoder; closed whether or not the slow client reads it
        ch.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
