package io.argus.coordinator.assign;

import io.argus.cluster.AgentInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Load shedding with hysteresis ({@link LoadBalancerConfig}). An agent whose reported utilisation
 * stays above {@code high} for {@code sustain} consecutive checks starts shedding, if some other
 * agent has room (below {@code low}): its assignment weight is multiplied by {@code shedFactor}
 * (halved by default), which moves about half of its streams to the
 * others (rendezvous hashing picks which ones, so the choice is stable). It stops shedding only
 * after its utilisation stays low enough for {@code sustain} checks that taking its streams back,
 * which roughly doubles its load, still leaves it between the thresholds.
 *
 * <p>Why both conditions: when every agent is overloaded, moving streams helps no one and only
 * costs state hand-overs, and an agent that unsheds as soon as it is below {@code low} is back
 * above {@code high} a moment later. Both made streams flap between two saturated agents every
 * few seconds in the soak run.
 */
public final class LoadBalancer {
    private final double high;
    private final double low;
    private final int sustain;
    private final double shedFactor;
    private final Map<String, Integer> above = new HashMap<>();
    private final Map<String, Integer> below = new HashMap<>();
    private final Map<String, Boolean> shedding = new HashMap<>();

    /** Thresholds, sustain and shed factor from {@code config} (checked when it was built). */
    public LoadBalancer(LoadBalancerConfig config) {
        this.high = config.high();
        this.low = config.low();
        this.sustain = config.sustain();
        this.shedFactor = config.shedFactor();
    }

    /** {@link LoadBalancerConfig#DEFAULT}: above 0.9 for 3 checks sheds, if another agent is below 0.6. */
    public static LoadBalancer defaults() {
        return new LoadBalancer(LoadBalancerConfig.DEFAULT);
    }

    /** One check over the live agents; returns agent -> factor for those whose factor changed. */
    public Map<String, Double> check(List<AgentInfo> agents) {
        Map<String, Double> changes = new HashMap<>();
        double comeBack = (high + low) / 2; // where an unshedding agent may end up, at most
        for (AgentInfo a : agents) {
            double u = a.payload().load().utilisation();
            String id = a.id();
            boolean shed = shedding.getOrDefault(id, false);
            if (u > high) {
                above.merge(id, 1, Integer::sum);
                below.remove(id);
            } else if (shed ? u / shedFactor < comeBack : u < low) { // taking its streams back scales u by 1/shedFactor
                below.merge(id, 1, Integer::sum);
                above.remove(id);
            } else {
                above.remove(id);
                below.remove(id);
            }
            if (!shed && above.getOrDefault(id, 0) >= sustain && someoneHasRoom(agents, id)) {
                shedding.put(id, true);
                changes.put(id, shedFactor);
            } else if (shed && below.getOrDefault(id, 0) >= sustain) {
                shedding.put(id, false);
                changes.put(id, 1.0);
            }
        }
        return changes;
    }

    private boolean someoneHasRoom(List<AgentInfo> agents, String except) {
        return agents.stream().anyMatch(o -> !o.id().equals(except) && o.payload().load().utilisation() < low);
    }

    public boolean shedding(String agent) {
        return shedding.getOrDefault(agent, false);
    }
}
