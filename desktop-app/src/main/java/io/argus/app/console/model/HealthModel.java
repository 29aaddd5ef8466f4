package io.argus.app.console.model;

import io.argus.app.console.feed.AgentAnswers;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Assignment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one model of agent and stream health that every view reads: the tiles (through each stream's
 * {@link StreamHealth}), the Cluster tab's rows and the status bar's summary. Agents are judged
 * from the streams' health, so a tile that says its agent sheds load and the agent's row cannot
 * disagree; an agent that leaves the cluster stays listed as {@link AgentState#LOST}, with the time,
 * until it returns or the operator dismisses it. Used on the JavaFX thread only; no JavaFX types,
 * so it is tested without a screen.
 */
public final class HealthModel {
    /** An agent refreshes its discovery payload at least every 2 s: two refreshes missed and it is unresponsive. */
    public static final long DEFAULT_SILENT_AFTER_MS = 4_500;

    public enum AgentState { HEALTHY, SHEDDING, UNRESPONSIVE, DRAINING, LOST }

    /**
     * One agent's health.
     *
     * @param id      agent id
     * @param state   its state
     * @param sinceMs when it entered that state (epoch ms)
     * @param info    its last discovery entry (kept after it is lost)
     * @param streams the streams on it: assigned managed streams and the console's streams it answers
     * @param answers latency and shedding of its answers, as the console measured them
     */
    public record AgentHealth(String id, AgentState state, long sinceMs, AgentInfo info, List<String> streams,
                              AgentAnswers.Figures answers) {
    }

    /** Counts for the status bar, from the same judgements the tiles and rows show. */
    public record Summary(int streams, int running, int shedding, int starting, int stalled, int offline, int agents,
                          int healthy, int sheddingAgents, int unresponsive, int lost) {
        /**
         * Every stream and agent is counted once; counts of trouble appear only when not zero, so the
         * line stays short enough for the status bar and what is wrong stands out.
         */
        public String text() {
            StringBuilder b = new StringBuilder();
            b.append(streams).append(" stream(s): ").append(running).append(" running");
            if (shedding > 0) {
                b.append(" (").append(shedding).append(" shedding)");
            }
            part(b, starting, "starting or moving");
            part(b, stalled, "stalled");
            part(b, offline, "offline");
            b.append(" | ").append(agents).append(" agent(s): ").append(healthy).append(" healthy");
            part(b, sheddingAgents, "shedding");
            part(b, unresponsive, "unresponsive or draining");
            part(b, lost, "lost");
            return b.toString();
        }

        private static void part(StringBuilder b, int n, String what) {
            if (n > 0) {
                b.append(", ").append(n).append(' ').append(what);
            }
        }
    }

    private final Map<String, AgentInfo> lastSeen = new TreeMap<>();
    private final Map<String, Long> lostAt = new LinkedHashMap<>();
    private final Map<String, AgentState> state = new HashMap<>();
    private final Map<String, Long> since = new HashMap<>();
    /** Agents that came back as a new process under the same id since the last judgement. */
    private final Set<String> restarted = new TreeSet<>();
    private List<AgentHealth> agents = List.of();
    private Summary summary = new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Takes the cluster's membership; returns the agents that have just been lost. */
    List<String> membership(long nowMs, Collection<AgentInfo> present) {
        Set<String> ids = new TreeSet<>();
        for (AgentInfo a : present) {
            ids.add(a.id());
            AgentInfo before = lastSeen.put(a.id(), a);
            if (before != null && before.payload().startedAtMs() != a.payload().startedAtMs()) {
                restarted.add(a.id()); // the same id, another process: what was measured of the old one is not its
            }
            lostAt.remove(a.id()); // it returned
        }
        List<String> lost = new ArrayList<>();
        for (String id : lastSeen.keySet()) {
            if (!ids.contains(id) && !lostAt.containsKey(id)) {
                lostAt.put(id, nowMs);
                lost.add(id);
            }
        }
        return lost;
    }

    /** Agents that left the cluster and were not dismissed. */
    Set<String> lostAgents() {
        return lostAt.keySet();
    }

    /** Agents in the cluster at the last membership. */
    Set<String> presentAgents() {
        Set<String> present = new TreeSet<>(lastSeen.keySet());
        present.removeAll(lostAt.keySet());
        return present;
    }

    /** Forgets a lost agent (the operator's "dismiss"); an agent that is present is kept. */
    boolean dismiss(String id) {
        if (lostAt.remove(id) == null) {
            return false;
        }
        lastSeen.remove(id);
        state.remove(id);
        since.remove(id);
        agents = agents.stream().filter(a -> !a.id().equals(id)).toList();
        return true;
    }

    /** Judges the agents from their entries and from the streams' health (judged first, see {@link StreamViewModel#judge}). */
    void judge(long nowMs, List<StreamViewModel> streams, Map<String, Assignment> assignments, AgentAnswers answers) {
        restarted.forEach(answers::forget);
        restarted.clear();
        Map<String, List<String>> on = new HashMap<>();
        Set<String> shedding = new TreeSet<>();
        int running = 0;
        int shed = 0;
        int starting = 0;
        int stalled = 0;
        int offline = 0;
        for (StreamViewModel vm : streams) {
            StreamHealth h = vm.healthProperty().get();
            running += h.running() ? 1 : 0;
            shed += h == StreamHealth.SHEDDING ? 1 : 0;
            starting += h == StreamHealth.STARTING || h == StreamHealth.MOVING ? 1 : 0;
            stalled += h == StreamHealth.STALLED ? 1 : 0;
            offline += h == StreamHealth.OFFLINE || h == StreamHealth.ENDED ? 1 : 0;
            String agent = vm.snapshot().agent();
            if (!agent.isEmpty()) {
                on.computeIfAbsent(agent, a -> new ArrayList<>()).add(vm.getName());
                if (h == StreamHealth.SHEDDING) {
                    shedding.add(agent);
                }
            }
        }
        assignments.forEach((stream, a) -> {
            List<String> l = on.computeIfAbsent(a.agent(), x -> new ArrayList<>());
            if (!l.contains(stream)) {
                l.add(stream);
            }
        });
        List<AgentHealth> out = new ArrayList<>();
        int healthy = 0;
        int sheddingAgents = 0;
        int lost = 0;
        for (AgentInfo a : lastSeen.values()) {
            AgentState s;
            if (lostAt.containsKey(a.id())) {
                s = AgentState.LOST;
            } else if (a.payload().draining()) {
                s = AgentState.DRAINING;
            } else if (nowMs - a.payload().updatedAtMs() > DEFAULT_SILENT_AFTER_MS) {
                s = AgentState.UNRESPONSIVE;
            } else if (shedding.contains(a.id())) {
                s = AgentState.SHEDDING;
            } else {
                s = AgentState.HEALTHY;
            }
            if (state.put(a.id(), s) != s) {
                since.put(a.id(), s == AgentState.LOST ? lostAt.getOrDefault(a.id(), nowMs) : nowMs);
            }
            healthy += s == AgentState.HEALTHY ? 1 : 0;
            sheddingAgents += s == AgentState.SHEDDING ? 1 : 0;
            lost += s == AgentState.LOST ? 1 : 0;
            List<String> names = new ArrayList<>(on.getOrDefault(a.id(), List.of()));
            names.sort(null);
            out.add(new AgentHealth(a.id(), s, since.getOrDefault(a.id(), nowMs), a, names, answers.figures(a.id())));
        }
        agents = List.copyOf(out);
        summary = new Summary(streams.size(), running, shed, starting, stalled, offline, out.size(), healthy, sheddingAgents,
                out.size() - healthy - sheddingAgents - lost, lost);
    }

    public List<AgentHealth> agents() {
        return agents;
    }

    public Summary summary() {
        return summary;
    }
}
