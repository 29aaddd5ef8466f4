package io.argus.client;

import io.argus.cluster.AgentInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Which agent a stream goes to next, among those the router offers in its order of preference:
 * the first one nothing is held against. An agent that failed the stream is <em>suspected</em>
 * for {@link SuspicionConfig#suspectMs()} (it may still be in discovery until its session expires); one whose
 * circuit breaker is open is skipped. An agent suspected only for shedding load stays a last
 * resort: when every capable agent is suspected, the busy one is still the best place for the
 * stream. Confined to the client's control thread.
 */
final class AgentSelector {
    private final LongSupplier clock;
    /** An agent that failed us is avoided for this long. */
    private final long suspectNanos;
    private final Function<String, CircuitBreaker> breakers;
    private final Map<String, Long> suspectUntil = new HashMap<>();
    /** Suspects that only shed load: still usable when no other agent can take the stream. */
    private final Set<String> onlyBusy = new HashSet<>();

    AgentSelector(LongSupplier clock, Function<String, CircuitBreaker> breakers, SuspicionConfig config) {
        this.clock = clock;
        this.suspectNanos = TimeUnit.MILLISECONDS.toNanos(config.suspectMs());
        this.breakers = breakers;
    }

    /** Holds a failure against the agent; "overloaded" is the mildest reason and never overrides a worse one. */
    void suspect(@Nullable String agent, @Nullable String why) {
        if (agent == null) {
            return;
        }
        if ("overloaded".equals(why) && !hardSuspect(agent)) {
            onlyBusy.add(agent);
        } else {
            onlyBusy.remove(agent);
        }
        suspectUntil.put(agent, clock.getAsLong() + suspectNanos);
    }

    /** True while a failure is held against the agent (sending there would only bounce back). */
    boolean suspected(String agent) {
        Long until = suspectUntil.get(agent);
        return until != null && until > clock.getAsLong();
    }

    boolean breakerOpen(String agent) {
        return breakers.apply(agent).getState() == CircuitBreaker.State.OPEN;
    }

    /** Neither suspected nor behind an open breaker. */
    boolean usable(AgentInfo a) {
        return !suspected(a.id()) && !breakerOpen(a.id());
    }

    /** The usable agents among {@code routed}, in order; failing that, the ones that were only busy. */
    List<AgentInfo> candidates(List<AgentInfo> routed) {
        List<AgentInfo> out = new ArrayList<>();
        for (AgentInfo a : routed) {
            if (usable(a)) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            // waiting out a busy agent's suspicion stalled a one-agent cluster for 5 s
            for (AgentInfo a : routed) {
                if (onlyBusy.contains(a.id()) && !breakerOpen(a.id())) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** Another usable agent than {@code current}: somewhere better to go. */
    boolean hasIdleAlternative(List<AgentInfo> routed, @Nullable String current) {
        for (AgentInfo a : routed) {
            if (!a.id().equals(current) && usable(a)) {
                return true;
            }
        }
        return false;
    }

    private boolean hardSuspect(String agent) {
        return suspected(agent) && !onlyBusy.contains(agent);
    }
}
