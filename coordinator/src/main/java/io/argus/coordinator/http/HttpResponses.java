package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.protocol.json.ResultJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** How the HTTP API answers: JSON bodies, the error body, Retry-After, keep-alive and half-close. */
final class HttpResponses {
    private HttpResponses() {
    }

    /** Seconds a client should wait after a 429 or 503 (the {@code Retry-After} header). */
    static final int RETRY_AFTER_SECONDS = 1;

    static void sendError(ChannelHandlerContext ctx, boolean keepAlive, ApiException e) {
        write(ctx, keepAlive, errorResponse(e));
    }

    static FullHttpResponse errorResponse(ApiException e) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.putObject("error").put("code", e.code()).put("message", String.valueOf(e.getMessage()));
        FullHttpResponse r = render(e.status(), n);
        if (e.status() == 429 || e.status() == 503) {
            // tells well-behaved clients to back off instead of retrying into an overloaded cluster
            r.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return r;
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, int status, JsonNode body) {
        write(ctx, keepAlive, render(status, body));
    }

    private static FullHttpResponse render(int status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = ResultJson.MAPPER.writeValueAsBytes(body);
        } catch (Exception e) {
            bytes = "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"cannot render JSON\"}}".getBytes(StandardCharsets.UTF_8);
            status = 500;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return r;
    }

    /**
     * Writes an answer and, when the connection is done, closes it. Runs on the connection's event
     * loop (answers computed on other threads hop there first): the half-close bookkeeping and the
     * write must be ordered against the client's end of input, or a close for the FIN can overtake
     * an answer that another thread had already handed to Netty.
     */
    static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> write(ctx, keepAlive, r));
            return;
        }
        HttpUtil.setContentLength(r, r.content().readableBytes());
        boolean keep = keepAlive && !HalfClose.inputDone(ctx.channel()); // nothing more can come
        r.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(f -> {
            // the request stays pending until its answer is on the wire, so HalfClose cannot cut it
            if (HalfClose.answeredAndInputDone(ctx.channel()) || !keep) {
                ctx.close();
            }
        });
    }
}
