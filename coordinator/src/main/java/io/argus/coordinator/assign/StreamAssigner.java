package io.argus.coordinator.assign;

import io.argus.cluster.AgentInfo;
import io.argus.cluster.Rendezvous;
import io.argus.protocol.util.SettingRange;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which agent owns each stream: weighted rendezvous hashing over the live agents that can
 * run every task of the stream. The weight is the agent's worker count, multiplied by a load
 * factor below 1 while the agent is shedding (see {@link LoadBalancer}).
 *
 * <p>Incremental: each stream remembers its best score, so an agent joining costs one score per
 * stream (does the newcomer beat the current owner?) and an agent leaving recomputes only the
 * streams it owned. Only the streams that must move, move: about 1/N of them per membership change.
 * On top, loads are bounded ({@link AssignmentConfig#loadBound()}): an agent far above its share passes its
 * weakest claims on, which matters when there are few streams per agent.
 * Not thread-safe; the assignment service drives it from one thread.
 */
public final class StreamAssigner {
    /**
     * A stream to place: its id, the task names it needs and its group. The streams of one group (the
     * segments of one replayed recording: finite work meant to run at once) are spread in proportion
     * to the agents' weights, at most {@code ceil(group size x weight / total weight)} on an agent,
     * instead of by the looser bound on all streams: with 11 segments on two agents the bound
     * allowed 8 and 3, and the agent with 3 idled for half the replay.
     *
     * @param group null for a stream of its own
     */
    public record StreamNeed(String id, Set<String> tasks, @Nullable String group) {
        public StreamNeed(String id, Set<String> tasks) {
            this(id, tasks, null);
        }
    }

    private final Map<String, AgentInfo> agents = new HashMap<>();
    private final Map<String, Double> factors = new HashMap<>();
    private final Map<String, StreamNeed> streams = new HashMap<>();
    private final Map<String, String> owner = new HashMap<>();
    private final Map<String, Double> bestScore = new HashMap<>();

    /**
     * How far above its share an agent may be loaded before streams spill to others: an agent
     * holds at most {@code max(ceil(share), floor(loadBound x share))} streams, its share being
     * streams x its weight / the total weight. Why: see {@link AssignmentConfig#DEFAULT_LOAD_BOUND}.
     */
    private final double loadBound;

    /** With {@link AssignmentConfig#DEFAULT_LOAD_BOUND}. */
    public StreamAssigner() {
        this(AssignmentConfig.DEFAULT_LOAD_BOUND);
    }

    /** @param loadBound at least 1 (see {@link AssignmentConfig#loadBound()}) */
    public StreamAssigner(double loadBound) {
        this.loadBound = SettingRange.check("loadBound", loadBound, 1, 100);
    }

    /**
     * Current placement: stream -> agent (streams no live agent can run are absent). Each stream
     * goes to its rendezvous choice unless that agent is over its bound; then the streams with
     * the weakest claim on it (lowest score) go to their best-scoring capable agent that has room,
     * or stay if none has. A function of the current agents and streams alone, so a new leader
     * computes the same placement.
     */
    public Map<String, String> assignments() {
        if (owner.isEmpty()) {
            return Map.of();
        }
        double totalWeight = 0;
        for (AgentInfo a : agents.values()) {
            totalWeight += weight(a);
        }
        Map<String, List<String>> byAgent = new TreeMap<>();
        owner.forEach((stream, agent) -> byAgent.computeIfAbsent(agent, k -> new ArrayList<>()).add(stream));
        Map<String, Integer> cap = new HashMap<>();
        for (AgentInfo a : agents.values()) {
            double share = totalWeight <= 0 ? 0 : owner.size() * weight(a) / totalWeight;
            cap.put(a.id(), (int) Math.max(Math.ceil(share), Math.floor(loadBound * share)));
        }
        Map<String, Integer> count = new HashMap<>();
        List<String> spill = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byAgent.entrySet()) {
            List<String> held = e.getValue();
            int limit = cap.getOrDefault(e.getKey(), held.size());
            if (held.size() > limit) {
                held.sort(Comparator.comparingDouble((String st) -> bestScore.get(st))
                        .thenComparing(Comparator.naturalOrder()));
                spill.addAll(held.subList(0, held.size() - limit));
            }
            count.put(e.getKey(), Math.min(held.size(), limit));
        }
        Map<String, String> out = new HashMap<>(owner);
        if (spill.isEmpty()) {
            return Map.copyOf(spreadGroups(out));
        }
        spill.sort(Comparator.naturalOrder());
        for (String st : spill) {
            StreamNeed need = Objects.requireNonNull(streams.get(st)); // spilled streams are known ones
            String home = owner.get(st);
            String best = null;
            double score = Double.NEGATIVE_INFINITY;
            for (AgentInfo a : agents.values()) {
                if (a.id().equals(home) || !a.can(need.tasks())
                        || count.getOrDefault(a.id(), 0) >= Objects.requireNonNull(cap.get(a.id()))) {
                    continue;
                }
                double sc = Rendezvous.score(st, a.id(), weight(a));
                if (sc > score || (sc == score && best != null && a.id().compareTo(best) < 0)) {
                    score = sc;
                    best = a.id();
                }
            }
            String to = best != null ? best : home; // nowhere with room: over the bound beats unplaced
            out.put(st, to);
            count.merge(to, 1, Integer::sum);
        }
        return Map.copyOf(spreadGroups(out));
    }

    /**
     * Spreads each group's streams over the agents that can run them, at most
     * {@code ceil(size x weight / total)} on one: those over it, weakest claim first, go to the
     * best-scoring agent under it. A function of the agents and streams, as the placement is.
     */
    private Map<String, String> spreadGroups(Map<String, String> placed) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (StreamNeed n : streams.values()) {
            if (n.group() != null && placed.containsKey(n.id())) {
                groups.computeIfAbsent(n.group(), k -> new ArrayList<>()).add(n.id());
            }
        }
        for (List<String> members : groups.values()) {
            if (members.size() < 2) {
                continue;
            }
            members.sort(Comparator.naturalOrder());
            Set<String> tasks = Objects.requireNonNull(streams.get(members.get(0))).tasks(); // one recording: one task set
            double total = 0;
            for (AgentInfo a : agents.values()) {
                total += a.can(tasks) ? weight(a) : 0;
            }
            if (total <= 0) {
                continue;
            }
            Map<String, Integer> cap = new HashMap<>();
            Map<String, Integer> count = new HashMap<>();
            for (AgentInfo a : agents.values()) {
                cap.put(a.id(), a.can(tasks) ? (int) Math.ceil(members.size() * weight(a) / total - 1e-9) : 0);
            }
            Map<String, List<String>> byAgent = new TreeMap<>();
            for (String m : members) {
                byAgent.computeIfAbsent(placed.get(m), k -> new ArrayList<>()).add(m);
            }
            List<String> over = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : byAgent.entrySet()) {
                List<String> held = e.getValue();
                int limit = cap.getOrDefault(e.getKey(), 0);
                if (held.size() > limit) {
                    String agent = e.getKey();
                    held.sort(Comparator.comparingDouble((String st) -> claim(st, agent)).thenComparing(Comparator.naturalOrder()));
                    over.addAll(held.subList(0, held.size() - limit));
                }
                count.put(e.getKey(), Math.min(held.size(), limit));
            }
            over.sort(Comparator.naturalOrder());
            for (String st : over) {
                String best = null;
                double score = Double.NEGATIVE_INFINITY;
                for (AgentInfo a : agents.values()) {
                    if (count.getOrDefault(a.id(), 0) >= cap.getOrDefault(a.id(), 0)) {
                        continue;
                    }
                    double sc = Rendezvous.score(st, a.id(), weight(a));
                    if (sc > score || (sc == score && best != null && a.id().compareTo(best) < 0)) {
                        score = sc;
                        best = a.id();
                    }
                }
                if (best != null) {
                    placed.put(st, best);
                    count.merge(best, 1, Integer::sum);
                }
            }
        }
        return placed;
    }

    /** A stream's claim on an agent: its rendezvous score there (0 for an agent no longer known). */
    private double claim(String stream, String agent) {
        AgentInfo a = agents.get(agent);
        return a == null ? 0 : Rendezvous.score(stream, agent, weight(a));
    }

    /** The agent a stream is placed on (see {@link #assignments()}), or null. */
    public @Nullable String owner(String stream) {
        return owner.containsKey(stream) ? assignments().get(stream) : null;
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
    public @Nullable String putStream(StreamNeed s) {
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
