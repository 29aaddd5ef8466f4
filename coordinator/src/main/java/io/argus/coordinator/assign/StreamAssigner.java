package io.argus.coordinator.assign;

import io.argus.protocol.cluster.AgentInfo;
import io.argus.protocol.cluster.Rendezvous;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which agent owns each stream: weighted rendezvous hashing over the live agents that can
 * run every task of the stream. The weight is the agent's worker count, multiplied by a load
 * factor below 1 while the agent is shedding (see {@link LoadBalancer}).
 *
 * <p>Incremental: each stream remembers its best score, so an agent joining costs one score per
 * stream (does the newcomer beat the current owner?) and an agent leaving recomputes only the
 * streams it owned. Only the streams that must move, move: about 1/N of them per membership change.
 * Not thread-safe; the assignment service drives it from one thread.
 */
public final class StreamAssigner {
    /** A stream to place: its id and the task names it needs. */
    public record StreamNeed(String id, Set<String> tasks) {
    }

    private final Map<String, AgentInfo> agents = new HashMap<>();
    private final Map<String, Double> factors = new HashMap<>();
    private final Map<String, StreamNeed> streams = new HashMap<>();
    private final Map<String, String> owner = new HashMap<>();
    private final Map<String, Double> bestScore = new HashMap<>();

    /** Current placement: stream -> agent (streams no live agent can run are absent). */
    public Map<String, String> assignments() {
        return Map.copyOf(owner);
    }

    public String owner(String stream) {
        return owner.get(stream);
    }

    double weight(AgentInfo a) {
        return a.weight() * factors.getOrDefault(a.id(), 1.0);
    }

    private void place(StreamNeed s) {
        String best = null;
        double score = Double.NEGATIVE_INFINITY;
        for (AgentInfo a : agents.values()) {
            if (!a.can(s.tasks())) {
                continue;
            }
            double sc = Rendezvous.score(s.id(), a.id(), weight(a));
            if (sc > score || (sc == score && best != null && a.id().compareTo(best) < 0)) {
                score = sc;
                best = a.id();
            }
        }
        if (best == null) {
            owner.remove(s.id());
            bestScore.remove(s.id());
        } else {
            owner.put(s.id(), best);
            bestScore.put(s.id(), score);
        }
    }

    /** Adds or replaces a stream; returns its agent (or null). */
    public String putStream(StreamNeed s) {
        streams.put(s.id(), s);
        place(s);
        return owner.get(s.id());
    }

    public void removeStream(String id) {
        streams.remove(id);
        owner.remove(id);
        bestScore.remove(id);
    }

    /** Adds or updates an agent. Returns the streams that moved. */
    public List<String> putAgent(AgentInfo a) {
        AgentInfo old = agents.put(a.id(), a);
        if (old != null && (!old.payload().capabilities().equals(a.payload().capabilities())
                || old.weight() != a.weight())) {
            return replaceAll(); // its weight or abilities changed: every stream may be affected
        }
        List<String> moved = new ArrayList<>();
        if (old != null) {
            return moved;
        }
        double w = weight(a);
        for (StreamNeed s : streams.values()) {
            if (!a.can(s.tasks())) {
                continue;
            }
            double sc = Rendezvous.score(s.id(), a.id(), w);
            Double cur = bestScore.get(s.id());
            if (cur == null || sc > cur) {
                if (cur != null) {
                    moved.add(s.id());
                }
                owner.put(s.id(), a.id());
                bestScore.put(s.id(), sc);
            }
        }
        return moved;
    }

    /** Removes an agent. Returns the streams that moved (all of its streams that found a new home). */
    public List<String> removeAgent(String id) {
        if (agents.remove(id) == null) {
            return List.of();
        }
        factors.remove(id);
        List<String> moved = new ArrayList<>();
        for (StreamNeed s : streams.values()) {
            if (id.equals(owner.get(s.id()))) {
                place(s);
                moved.add(s.id());
            }
        }
        return moved;
    }

    /** Sets an agent's load factor (1 = normal, lower = shedding). Returns the streams that moved. */
    public List<String> setFactor(String agent, double factor) {
        double old = factors.getOrDefault(agent, 1.0);
        if (old == factor) {
            return List.of();
        }
        if (factor == 1.0) {
            factors.remove(agent);
        } else {
            factors.put(agent, factor);
        }
        return replaceAll();
    }

    /** Brings the agent set in line with {@code live}; returns the streams that moved. */
    public Set<String> syncAgents(Collection<AgentInfo> live) {
        Set<String> moved = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (AgentInfo a : live) {
            ids.add(a.id());
        }
        for (String id : new ArrayList<>(agents.keySet())) {
            if (!ids.contains(id)) {
                moved.addAll(removeAgent(id));
            }
        }
        for (AgentInfo a : live) {
            moved.addAll(putAgent(a));
        }
        return moved;
    }

    private List<String> replaceAll() {
        Map<String, String> before = new HashMap<>(owner);
        for (StreamNeed s : streams.values()) {
            place(s);
        }
        List<String> moved = new ArrayList<>();
        for (String s : streams.keySet()) {
            if (before.containsKey(s) && !before.get(s).equals(owner.get(s))) {
                moved.add(s);
            }
        }
        return moved;
    }

    public int agentCount() {
        return agents.size();
    }

    public int streamCount() {
        return streams.size();
    }
}
