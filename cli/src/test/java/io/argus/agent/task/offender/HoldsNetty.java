package io.argus.agent.task.offender;

import io.netty.channel.EventLoopGroup;

/** Test-only offender for {@code ModuleLayeringTest}: a task class holding a Netty type. */
public final class HoldsNetty {
    public EventLoopGroup group;
    public io.argus.agent.task.offender.cycle.UsesParent child;
}
