package io.argus.coordinator.offender;

import io.argus.agent.NodeAgent;

/** Test-only offender for {@code ModuleLayeringTest}: coordinator code that reaches into the agent. */
public final class UsesAgent {
    public NodeAgent agent;
}
