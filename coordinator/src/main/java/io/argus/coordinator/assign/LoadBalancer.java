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
 *
 * <p><b>Flap damping.</b> An agent that starts shedding again within {@code flapWindowMs} of taking
 * its streams back needs twice the quiet time before it takes them back the next time (its
 * {@code sustain} checks doubled per such flap, at most {@code maxUnshedDelayMs}); a window with no
 * re-shed forgets the count. Without it, a demo agent on shared cores took its streams back and
 * shed them again every 66-94 s for half an hour.
 */
public final class LoadBalancer {
    private final double high;
    private final double low;
    private final int sustain;
    private final double shedFactor;
    private final int flapWindowChecks;
    private final int maxUnshedChecks;
    /** Load checks made so far: the balancer's clock, one tick per check. */
    private long checks;
    /** Per agent that took its streams back: the check at which it did. */
    private final Map<String, Long> unshedAt = new HashMap<>();
    /** Per agent: re-sheds in a row, each within the flap window of the previous take-back. */
    private final Map<String, Integer> flaps = new HashMap<>();
    private final Map<String, Integer> above = new HashMap<>();
    private final Map<String, Integer> below = new HashMap<>();
    private final Map<String, Boolean> shedding = new HashMap<>();

    /** Thresholds, sustain and shed factor from {@code config} (checked when it was built). */
    public LoadBalancer(LoadBalancerConfig config) {
        this.high = config.high();
        this.low = config.low();
        this.sustain = config.sustain();
        this.shedFactor = config.shedFactor();
        this.flapWindowChecks = config.checks(config.flapWindowMs());
        this.maxUnshedChecks = config.checks(config.maxUnshedDelayMs());
    }

    /** {@link LoadBalancerConfig#DEFAULT}: above 0.9 for 3 checks sheds, if another agent is below 0.6. */
    public static LoadBalancer defaults() {
        return new LoadBalancer(LoadBalancerConfig.DEFAULT);
    }

    /** One check over the live agents; returns agent -> factor for those whose factor changed. */
    public Map<String, Double> check(List<AgentInfo> agents) {
        Map<String, Double> changes = new HashMap<>();
        checks++;
        // past the window a take-back is history: forget it, and the flap count of an agent not shedding
        unshedAt.entrySet().removeIf(e -> {
            boolean old = checks - e.getValue() > flapWindowChecks;
            if (old && !shedding.getOrDefault(e.getKey(), false)) {
                flaps.remove(e.getKey());
            }
            return old;
        });
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
                Long back = unshedAt.get(id);
                boolean flapped = back != null && checks - back <= flapWindowChecks;
                flaps.put(id, flapped ? flaps.getOrDefault(id, 0) + 1 : 0);
                shedding.put(id, true);
                changes.put(id, shedFactor);
            } else if (shed && below.getOrDefault(id, 0) >= unshedChecks(id)) {
                shedding.put(id, false);
                unshedAt.put(id, checks);
                changes.put(id, 1.0);
            }
        }
        return changes;
    }

    /** Quiet checks a shedding agent needs before it takes its streams back: doubled per flap, capped. */
    public int unshedChecks(String agent) {
        int n = flaps.getOrDefault(agent, 0);
        return (int) Math.max(sustain, Math.min(maxUnshedChecks, (long) sustain << Math.min(n, 30)));
    }

    private boolean someoneHasRoom(List<AgentInfo> agents, String except) {
        return agents.stream().anyMatch(o -> !o.id().equals(except) && o.payload().load().utilisation() < low);
    }

    public boolean shedding(String agent) {
        return shedding.getOrDefault(agent, false);
    }
}
