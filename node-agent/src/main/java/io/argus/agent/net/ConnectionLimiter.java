package io.argus.agent.net;

import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.AtomicInteger;

/** Caps concurrent connections; one over the cap is told OVERLOADED and closed. Shared by all channels. */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            ctx.writeAndFlush(Envelopes.error(Code.OVERLOADED, "agent has " + max + " connections", true))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    int open() {
        return open.get();
    }
}
