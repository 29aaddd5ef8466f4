package io.argus.coordinator.assign;

import io.argus.protocol.cluster.AgentInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Load shedding with hysteresis. An agent whose reported utilisation stays above {@code high}
 * for {@code sustain} consecutive checks starts shedding: its assignment weight is halved, which
 * moves about half of its streams to the others (rendezvous hashing picks which ones, so the
 * choice is stable). It stops shedding only after its utilisation stays below {@code low} for
 * {@code sustain} checks. The gap between the thresholds and the sustain period keep streams from
 * flapping between agents.
 */
public final class LoadBalancer {
    private final double high;
    private final double low;
    private final int sustain;
    private final Map<String, Integer> above = new HashMap<>();
    private final Map<String, Integer> below = new HashMap<>();
    private final Map<String, Boolean> shedding = new HashMap<>();

    public LoadBalancer(double high, double low, int sustain) {
        if (!(low < high)) {
            throw new IllegalArgumentException("low threshold must be below high");
        }
        this.high = high;
        this.low = low;
        this.sustain = sustain;
    }

    public static LoadBalancer defaults() {
        return new LoadBalancer(0.9, 0.6, 3);
    }

    /** One check over the live agents; returns agent -> factor for those whose factor changed. */
    public Map<String, Double> check(List<AgentInfo> agents) {
        Map<String, Double> changes = new HashMap<>();
        for (AgentInfo a : agents) {
            double u = a.payload().load().utilisation();
            String id = a.id();
            if (u > high) {
                above.merge(id, 1, Integer::sum);
                below.remove(id);
            } else if (u < low) {
                below.merge(id, 1, Integer::sum);
                above.remove(id);
            } else {
                above.remove(id);
                below.remove(id);
            }
            boolean shed = shedding.getOrDefault(id, false);
            if (!shed && above.getOrDefault(id, 0) >= sustain) {
                shedding.put(id, true);
                changes.put(id, 0.5);
            } else if (shed && below.getOrDefault(id, 0) >= sustain) {
                shedding.put(id, false);
                changes.put(id, 1.0);
            }
        }
        return changes;
    }

    public boolean shedding(String agent) {
        return shedding.getOrDefault(agent, false);
    }
}
