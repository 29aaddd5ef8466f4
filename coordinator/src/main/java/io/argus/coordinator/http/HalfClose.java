package io.argus.coordinator.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;

/**
 * Clients that half-close (send a request, then shut down their side, as netcat and some scripts
 * do) still get their answer. The gateway runs with {@code ALLOW_HALF_CLOSURE}: when the input
 * ends, a connection with a request still being answered stays open until the answer is written
 * ({@link HttpResponses#write} then closes it; both the count and the write run on the event loop, so a
 * close for the end of input cannot overtake an answer); an idle one, or one that stopped
 * mid-request, is closed at once instead of waiting for the 30 s read timeout.
 */
@ChannelHandler.Sharable
final class HalfClose extends ChannelInboundHandlerAdapter {
    static final HalfClose INSTANCE = new HalfClose();
    private static final AttributeKey<Integer> PENDING = AttributeKey.valueOf("argus.http.pending");

    /** A complete request reached the API and will be answered. */
    static void requestStarted(Channel ch) {
        ch.attr(PENDING).set(pending(ch) + 1);
    }

    /** True if the client has shut down its side: no further request can arrive. */
    static boolean inputDone(Channel ch) {
        return ch instanceof DuplexChannel d && d.isInputShutdown();
    }

    /**
     * An answer is on the wire (called on the event loop); true if the client has half-closed and
     * nothing else is pending.
     */
    static boolean answeredAndInputDone(Channel ch) {
        int left = Math.max(0, pending(ch) - 1);
        ch.attr(PENDING).set(left);
        return left == 0 && inputDone(ch);
    }

    private static int pending(Channel ch) {
        Integer n = ch.attr(PENDING).get();
        return n == null ? 0 : n;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent && pending(ctx.channel()) == 0) {
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }
}
