package io.argus.agent.task.offender.cycle;

import io.argus.agent.task.offender.HoldsNetty;

/** Test-only offender for {@code ModuleLayeringTest}: closes a package cycle with {@link HoldsNetty}. */
public final class UsesParent {
    public HoldsNetty parent;
}
