package io.argus.agent.net;

import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Envelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code Ping} with {@code Pong} and swallows {@code Pong}. Closes a connection that has
 * sent nothing for the idle timeout (the {@code IdleStateHandler} in front of the codec fires the
 * event): a silent client is dead or hostile, and its unanswered frames are dropped.
 */
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope e) {
            switch (e.getBodyCase()) {
                case PING -> {
                    ctx.writeAndFlush(Envelopes.pong(e.getPing()));
                    return;
                }
                case PONG -> {
                    return;
                }
                default -> {
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            log.info("closing silent connection from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
