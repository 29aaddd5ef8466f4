package io.argus.agent.net;

import org.jspecify.annotations.Nullable;
import io.argus.agent.exec.LaneJob;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's {@code StreamControl} (OPEN, RELEASE, RESET), already checked by
 * {@link FrameRequestHandler}, applied through the stream's lane, so that it lands between frames
 * of the stream, never during one.
 */
final class StreamControlJob implements LaneJob {
    private static final Logger log = LoggerFactory.getLogger(StreamControlJob.class);
    private final AgentRuntime rt;
    private final ChannelHandlerContext ctx;
    private final StreamControl c;
    private final String stream;
    /** The state the client sent along, or null. */
    private final @Nullable StateBundle bundle;

    StreamControlJob(AgentRuntime rt, ChannelHandlerContext ctx, StreamControl c, @Nullable StateBundle bundle) {
        this.rt = rt;
        this.ctx = ctx;
        this.c = c;
        this.stream = c.getStreamId();
        this.bundle = bundle;
    }

    @Override
    public void run() {
        if (c.getAction() == StreamControl.Action.OPEN) {
            if (c.getFresh()) {
                rt.states().drop(stream);
            }
            long next = rt.states().acquire(stream, -1).open(c.getNextSequence(), bundle, c.getRun());
            log.debug("stream {} opened at {} (client sends from {})", stream, next, c.getNextSequence());
            return;
        }
        if (bundle != null) {
            rt.states().acquire(stream, -1).stageImport(bundle);
        }
        if (c.getAction() == StreamControl.Action.RELEASE) {
            rt.states().find(stream).ifPresent(st -> ctx.writeAndFlush(Envelope.newBuilder()
                    .setState(st.export(rt.agentId(), io.argus.protocol.Envelopes.nowMicros())).build()));
            rt.states().drop(stream);
            rt.access().released(stream);
        } else if (c.getAction() == StreamControl.Action.RESET) {
            rt.states().drop(stream);
            rt.access().released(stream);
        }
    }

    @Override
    public void abort(Code code, String reason) {
        log.warn("stream control for {} not applied: {}", stream, reason);
    }
}
